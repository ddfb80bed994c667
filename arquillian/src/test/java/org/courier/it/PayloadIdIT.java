package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.Acknowledgement;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Senders whose protocol carries no message id (routing: interface {@code NoIdsByNumber} takes
 * the order number, {@code NoIdsByHash} the canonical payload's hash): Courier takes the id from
 * the payload and deduplicates by it, so a resend is a DUPLICATE even when only its formatting
 * changed, and a payload without the value is refused saying what is missing. A sender whose
 * ids have a known form ({@code XiIds}: XI GUIDs) gets them checked on the way in.
 */
@ExtendWith(ArquillianExtension.class)
class PayloadIdIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final CourierClient courier = new CourierClient();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    private static String order(String number, String indent) {
        return "<o:order xmlns:o=\"urn:example:orders\">" + indent + "<o:number>" + number + "</o:number>" + indent
                + "<o:amount>10</o:amount></o:order>";
    }

    @Test
    void theOrderNumberIsTheIdAndAResendIsADuplicate() {
        String sender = "NOID-" + UUID.randomUUID().toString().substring(0, 8);
        String number = "N" + System.nanoTime();
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            Acknowledgement first = courier.send(sender, "NoIdsByNumber", null, order(number, ""));
            Acknowledgement again = courier.send(sender, "NoIdsByNumber", null, order(number, "\n    "));
            Acknowledgement next = courier.send(sender, "NoIdsByNumber", null, order(number + "-2", ""));

            assertThat(first.result()).isEqualTo("ACCEPTED");
            assertThat(first.messageId()).isEqualTo(number);
            assertThat(again.result()).as("the same order, formatted differently").isEqualTo("DUPLICATE");
            assertThat(next.result()).isEqualTo("ACCEPTED");
            await().atMost(DEADLINE).until(() -> alpha.delivered() == 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alpha.total() == 2);
            assertThat(alpha.arrivals()).extracting(Arrival::messageId).containsExactlyInAnyOrder(number, number + "-2");
        }
    }

    @Test
    void theCanonicalHashIsTheIdWhenTheRouteSaysSo() {
        String sender = "NOID-" + UUID.randomUUID().toString().substring(0, 8);
        String number = "H" + System.nanoTime();
        try (TestReceiver beta = TestReceiver.start(18082)) {
            Acknowledgement first = courier.send(sender, "NoIdsByHash", null, order(number, ""));
            Acknowledgement again = courier.send(sender, "NoIdsByHash", null, "<!-- resent -->" + order(number, "\n  "));

            assertThat(first.result()).isEqualTo("ACCEPTED");
            assertThat(first.messageId()).matches("[0-9a-f]{64}");
            assertThat(again.result()).isEqualTo("DUPLICATE");
            assertThat(again.messageId()).isEqualTo(first.messageId());
            await().atMost(DEADLINE).until(() -> beta.delivered() == 1);
            assertThat(beta.arrivals().get(0).messageId()).isEqualTo(first.messageId());
        }
    }

    @Test
    void aPayloadWithoutTheIdValueIsRefusedSayingWhatIsMissing() {
        String sender = "NOID-" + UUID.randomUUID().toString().substring(0, 8);

        assertThatThrownBy(() -> courier.send(sender, "NoIdsByNumber", null, "<o:order xmlns:o=\"urn:example:orders\"/>"))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("INVALID_REQUEST");
                    assertThat(fault.retryable()).isFalse();
                    assertThat(fault.getMessage()).contains("no value at /o:order/o:number");
                });
        assertThatThrownBy(() -> courier.send(sender, "Orders", null, "<order/>"))
                .as("a route without ids from the payload still needs a messageId")
                .isInstanceOfSatisfying(CourierFaultException.class, fault ->
                        assertThat(fault.getMessage()).contains("messageId is missing"));
    }

    @Test
    void idsOfASendersKnownFormatAreCheckedOnTheWayIn() {
        String sender = "XI-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            assertThatThrownBy(() -> courier.send(sender, "XiIds", "ORDER-4711", "<order/>"))
                    .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                        assertThat(fault.code()).isEqualTo("INVALID_REQUEST");
                        assertThat(fault.getMessage()).contains("is not an XI message id").contains("(xi)");
                    });
            String guid = UUID.randomUUID().toString();
            assertThat(courier.send(sender, "XiIds", guid, "<order/>").result()).isEqualTo("ACCEPTED");
            await().atMost(DEADLINE).until(() -> alpha.delivered() == 1);
            assertThat(alpha.arrivals().get(0).messageId()).isEqualTo(guid);
        }
    }
}
