package org.courier.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.courier.content.Quoted;
import org.courier.message.QualityOfService;

/**
 * The send request's field rules against a fuzzer (Jazzer): the fields every edge maps into a
 * send (SOAP v1 {@code send}, {@code sendBatch} and {@code call}, SAP RM's URL parameters, XI's
 * header), any text in any of them, are one command whose quality of service and queue agree, or
 * a refusal that names the field, says whether a retry can help (never), and quotes the value
 * only in characters a SOAP fault or JSON can carry; never another exception. Fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl ejb test -Dtest=SendCommandValidatorFuzzTest} (docs/edges.md).
 */
class SendCommandValidatorFuzzTest {

    private static final String[] FIELDS = {"sender", "interface", "messageId", "qualityOfService", "queueId", "payload"};
    private static final String[] QUALITIES = {"ExactlyOnce", "ExactlyOnceInOrder", "BestEffort"};
    private final SendCommandValidator validator = new SendCommandValidator(4096);

    @FuzzTest(maxDuration = "1m")
    void anyFieldsAreACommandOrARefusalThatNamesTheField(FuzzedDataProvider data) {
        String sender = field(data);
        String interfaceName = field(data);
        String messageId = field(data);
        String qos = data.consumeBoolean() ? data.pickValue(QUALITIES) : field(data);
        String queueId = field(data);
        String payload = data.consumeBoolean() ? "<a/>" : data.consumeRemainingAsString();
        SendCommand command = new SendCommand(sender, interfaceName, messageId, qos, queueId, payload);
        try {
            QualityOfService accepted = validator.validate(command);
            assertThat(accepted).isNotEqualTo(QualityOfService.BEST_EFFORT);
            assertThat(queueId != null).as("a queue exactly when in order").isEqualTo(accepted == QualityOfService.EXACTLY_ONCE_IN_ORDER);
            assertThat(sender + interfaceName + messageId).as("fields of printable ASCII").matches("\\p{Graph}+");
        } catch (RequestRejected refused) {
            refusalSaysWhy(refused);
        }
        try {
            validator.validateCall(command, data.consumeBoolean());
        } catch (RequestRejected refused) {
            refusalSaysWhy(refused);
        }
    }

    private static void refusalSaysWhy(RequestRejected refused) {
        assertThat(refused.retryable()).as("the same request never succeeds later").isFalse();
        assertThat(refused.getMessage()).containsAnyOf(FIELDS).hasSizeLessThan(600);
        assertThat(Quoted.xmlText(refused.getMessage())).as("every character of %s can be written in a fault",
                refused.getMessage()).isTrue();
    }

    /** Absent, or any text (up to 300 characters: past every field's limit). */
    private static String field(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeString(300);
    }
}
