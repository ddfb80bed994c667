package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.courier.delivery.ConnectionClosingReceiver;
import org.courier.delivery.ConnectionClosingReceiver.Manner;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.TestUser;
import org.courier.loader.SoapSender;
import org.courier.loader.SoapSender.Message;
import org.courier.loader.SoapSender.Outcome;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No false doubts, black box: receivers that are not idempotent (in-doubt policy HOLD, so a
 * doubt would wait for an operator) and close connections the way real servers do - one after
 * every answer without announcing it, one keeping connections alive and dropping those idle for a
 * second, with the load pausing for about that second between batches. Every message arrives
 * exactly once and none is ever in doubt. (10 000 deliveries against the same servers, straight
 * through Courier's HTTP client: {@code ReceiverConnectionTest} of the ejb module.)
 */
@ExtendWith(ArquillianExtension.class)
class ReceiverConnectionsIT {

    private static final int MESSAGES = 2_000;
    private static final int BATCH = 50;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    private final SoapSender soap = new SoapSender(URI.create("http://127.0.0.1:8080/courier/CourierService"),
            Duration.ofSeconds(30), TestUser.INTEGRATION.credentials());
    private final CourierAdmin admin = new CourierAdmin();
    private final Random random = new Random();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aReceiverClosingEveryConnectionUnannouncedGetsEachMessageOnceAndNoneIsInDoubt() throws Exception {
        try (ConnectionClosingReceiver receiver = ConnectionClosingReceiver.start(Manner.CLOSE_UNANNOUNCED, 18100)) {
            deliverAll(receiver, "closes-connections", "ClosesConnections", Duration.ZERO);
        }
    }

    @Test
    void aReceiverDroppingIdleConnectionsGetsEachMessageOnceAndNoneIsInDoubt() throws Exception {
        try (ConnectionClosingReceiver receiver = ConnectionClosingReceiver.start(Manner.DROP_IDLE, 18101)) {
            deliverAll(receiver, "drops-idle", "DropsIdle", Duration.ofMillis(980));
        }
    }

    private void deliverAll(ConnectionClosingReceiver receiver, String receiverName, String interfaceName, Duration pause)
            throws InterruptedException {
        String sender = "CONN" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < MESSAGES / BATCH; batch++) {
            if (batch > 0 && !pause.isZero()) {
                // load shaping: Courier's connections idle for about the receiver's second
                Thread.sleep(pause.toMillis() + random.nextInt(40));
            }
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String id = sender + "-" + (batch * BATCH + i);
                ids.add(id);
                messages.add(new Message(sender, interfaceName, id, "ExactlyOnce", null, "<order n=\"" + id + "\"/>"));
            }
            List<Outcome> outcomes = soap.sendBatch(messages);
            assertThat(outcomes).extracting(Outcome::kind).containsOnly(Outcome.Kind.ACCEPTED);
        }

        try {
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> receiver.received().size() == MESSAGES);
        } catch (ConditionTimeoutException notAll) {
            throw new AssertionError(receiver.received().size() + " of " + MESSAGES + " arrived within " + DEADLINE
                    + "; in doubt: " + inDoubt(receiverName, sender), notAll);
        }
        Map<String, Integer> received = receiver.received();
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(received.values()).as("times each message arrived").containsOnly(1);
        assertThat(inDoubt(receiverName, sender)).as("deliveries in doubt").isEmpty();
    }

    private List<String> inDoubt(String receiverName, String sender) {
        return admin.inDoubt(receiverName).entries().stream().filter(entry -> sender.equals(entry.sender()))
                .map(FailureEntry::messageId).toList();
    }
}
