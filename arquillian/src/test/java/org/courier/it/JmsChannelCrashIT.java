package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.oneTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.PartnerBroker;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestConfiguration;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * An in-order JMS channel ({@code <jms-channel>}, a queue of {@link PartnerBroker}) across a kill -9
 * while it takes 250 messages: afterwards every message of the queue is stored exactly once (none
 * lost, none twice: a take in flight at the kill is given again by the broker and answered
 * DUPLICATE for what its receipt had stored), nothing is left in the queue or in its dead-letter
 * queue, nothing stays prepared in the broker, and the messages arrive in the queue's order.
 */
class JmsChannelCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(JmsChannelCrashIT.class.getName());
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final int MESSAGES = 250;
    private static final int RECEIVER_PORT = 18117;

    @Test
    void aKillWhileAChannelTakesItsQueueLosesNoMessageAndStoresNoneTwice() throws Exception {
        String sender = "JMSIN-CRASH-" + hex(6);
        String queue = "partner.crash." + sender;
        String queueId = "JC" + hex(6).toUpperCase();
        TestConfiguration configuration = TestConfiguration.current(new CourierAdmin());
        try (PartnerBroker broker = PartnerBroker.start(Path.of("target", "partner-broker", "channel-crash-" + sender));
             TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            Map<String, String> messages = new LinkedHashMap<>();
            for (int n = 1; n <= MESSAGES; n++) {
                String id = sender + "-" + n;
                messages.put(id, "<order xmlns=\"urn:courier:test\"><id>" + id + "</id></order>");
            }
            broker.putAll(queue, messages);
            // each take's XA commit held 300 ms in the broker: the kill finds takes whose messages are stored and
            // not yet off the queue (prepared there, or not yet); the receiver slower than the channel
            broker.slowCommits(Duration.ofMillis(300));
            receiver.delay(Duration.ofMillis(20));
            configuration.inForce("""
                    <jms-channel name="jms-in-crash" url="jms://partner-broker/%s" sender="%s" interface="JmsIn"
                                 quality-of-service="ExactlyOnceInOrder" queue-id="%s"/>
                    """.formatted(queue, sender, queueId));
            await().atMost(DEADLINE).until(() -> database.messages(sender) >= 80);

            crash();
            long storedAtKill = database.messages(sender);
            long inQueueAtKill = broker.count(queue);
            int preparedAtKill = broker.prepared();
            broker.slowCommits(Duration.ZERO);
            restart();

            List<String> ids = new ArrayList<>(messages.keySet());
            assertThat(storedAtKill).as("stored at the kill").isLessThan(MESSAGES);
            await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> database.messages(sender) == MESSAGES
                    && broker.count(queue) == 0 && broker.prepared() == 0);
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
            assertThat(ids).allSatisfy(id -> assertThat(database.messages(sender, id)).as("stored as %s", id).isEqualTo(1));
            assertThat(broker.count(queue + ".refused")).as("dead-lettered").isZero();
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            assertThat(ledger.messageIds(sender, queueId)).as("first arrivals, in order").containsExactlyElementsOf(ids);
            assertThat(ledger.sequences(sender, queueId)).containsExactlyElementsOf(oneTo(MESSAGES));
            LOG.info("kill -9 while the channel took " + MESSAGES + " messages: " + storedAtKill + " stored and " + inQueueAtKill
                    + " still in the queue at the kill (" + preparedAtKill + " transactions prepared in the broker); all "
                    + MESSAGES + " stored once, in order, the queue empty; " + ledger.repeats(sender)
                    + " delivered again to the idempotent receiver");
            // the configuration the test started with, in force again: the server goes on to the next test as it was
            configuration.restore();
        } finally {
            configuration.putBack();
        }
    }
}
