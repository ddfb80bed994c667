package org.courier.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.courier.message.QualityOfService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendCommandValidatorTest {

    private final SendCommandValidator validator = new SendCommandValidator(100);

    @Test
    void aValidExactlyOnceCommandPasses() {
        assertThat(validator.validate(command("ERP", "Orders", "id-1", "ExactlyOnce", null, "<a/>")))
                .isEqualTo(QualityOfService.EXACTLY_ONCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "bad/slash", "ä"})
    void senderMustFollowItsRule(String sender) {
        assertRejected(command(sender, "Orders", "id-1", "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "sender");
    }

    @Test
    void missingFieldsAreNamed() {
        assertRejected(command(null, "Orders", "id", "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "sender is missing");
        assertRejected(command("ERP", null, "id", "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "interface is missing");
        assertRejected(command("ERP", "Orders", null, "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "messageId is missing");
        assertRejected(command("ERP", "Orders", "id", null, null, "<a/>"), FaultCode.INVALID_REQUEST, "qualityOfService is missing");
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnce", null, null), FaultCode.INVALID_REQUEST, "payload is missing");
    }

    @Test
    void aPayloadIsExactlyOneXmlElement() {
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnce", null, "<a/><b/>"), FaultCode.INVALID_REQUEST,
                "2 sibling elements");
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnce", null, "<a/>tail"), FaultCode.INVALID_REQUEST,
                "text beside its element");
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnce", null, ""), FaultCode.INVALID_REQUEST, "no XML element");
    }

    @Test
    void messageIdIsAtMost200PrintableCharactersWithoutWhiteSpace() {
        assertThat(validator.validate(command("ERP", "Orders", "x".repeat(200), "ExactlyOnce", null, "<a/>"))).isNotNull();
        assertRejected(command("ERP", "Orders", "x".repeat(201), "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "1-200");
        assertRejected(command("ERP", "Orders", "a b", "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "messageId");
        assertRejected(command("ERP", "Orders", "a\tb", "ExactlyOnce", null, "<a/>"), FaultCode.INVALID_REQUEST, "messageId");
    }

    @Test
    void longValuesAreAbbreviatedInTheReason() {
        RequestRejected rejected = catchRejected(command("ERP", "Orders", "y".repeat(500), "ExactlyOnce", null, "<a/>"));
        assertThat(rejected.getMessage()).hasSizeLessThan(200).contains("…");
    }

    @Test
    void bestEffortIsNotSupportedYet() {
        assertRejected(command("ERP", "Orders", "id", "BestEffort", null, "<a/>"), FaultCode.NOT_SUPPORTED, "BestEffort");
    }

    @Test
    void inOrderNeedsAValidQueueId() {
        assertThat(validator.validate(command("ERP", "Orders", "id", "ExactlyOnceInOrder", "ORDERS/2026_A", "<a/>")))
                .isEqualTo(QualityOfService.EXACTLY_ONCE_IN_ORDER);
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnceInOrder", null, "<a/>"), FaultCode.INVALID_REQUEST, "queueId is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Q", "q1", "QUEUE IDS", "ABCDEFGHIJKLMNOPQ", "Q-1", "Q.1"})
    void queueIdRuleIsSixteenOfDigitsUpperCaseUnderscoreSlash(String queueId) {
        if (queueId.equals("Q")) {
            assertThat(validator.validate(command("ERP", "Orders", "id", "ExactlyOnceInOrder", queueId, "<a/>"))).isNotNull();
            return;
        }
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnceInOrder", queueId, "<a/>"), FaultCode.INVALID_REQUEST, "queueId");
    }

    @Test
    void queueIdIsOnlyForInOrder() {
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnce", "Q1", "<a/>"), FaultCode.INVALID_REQUEST, "queueId is only allowed");
    }

    @Test
    void payloadOverTheLimitIsTooLargeCountingUtf8Bytes() {
        String exactly100Bytes = "<a>" + "x".repeat(93) + "</a>";
        assertThat(validator.validate(command("ERP", "Orders", "id", "ExactlyOnce", null, exactly100Bytes))).isNotNull();
        String over = "<a>" + "é".repeat(47) + "</a>";
        assertRejected(command("ERP", "Orders", "id", "ExactlyOnce", null, over), FaultCode.PAYLOAD_TOO_LARGE, "101 bytes");
    }

    @Test
    void onlyTransientFaultsAreRetryable() {
        var transientFaults = java.util.EnumSet.of(FaultCode.TEMPORARILY_UNAVAILABLE, FaultCode.RECEIVER_ERROR,
                FaultCode.RECEIVER_UNAVAILABLE, FaultCode.RECEIVER_TIMEOUT);
        for (FaultCode code : FaultCode.values()) {
            assertThat(code.retryable()).as(code.name()).isEqualTo(transientFaults.contains(code));
        }
    }

    private void assertRejected(SendCommand command, FaultCode code, String reasonPart) {
        RequestRejected rejected = catchRejected(command);
        assertThat(rejected.code()).isEqualTo(code);
        assertThat(rejected.getMessage()).contains(reasonPart);
    }

    private RequestRejected catchRejected(SendCommand command) {
        return (RequestRejected) org.assertj.core.api.Assertions.catchThrowable(() -> validator.validate(command));
    }

    private static SendCommand command(String sender, String iface, String id, String qos, String queueId, String payload) {
        return new SendCommand(sender, iface, id, qos, queueId, payload);
    }
}
