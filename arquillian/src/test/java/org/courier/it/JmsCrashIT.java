package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.courier.it.support.PartnerBroker;
import org.courier.it.support.PartnerBroker.Received;
import org.courier.it.support.Senders;
import org.junit.jupiter.api.Test;

/**
 * A JMS receiver (receiver {@code jms-crash}, a queue of {@link PartnerBroker}) across a kill -9
 * under load. The send to the other broker is a branch of the delivery's XA transaction, so the
 * oracle is stricter than for an HTTP receiver: every acknowledged message is in the queue exactly
 * once, with no repeat at all (not even for the deliveries in flight at the kill: their sends were
 * rolled back, or committed by transaction recovery with their records), and no transaction is
 * left prepared in the other broker once recovery has run.
 */
class JmsCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(JmsCrashIT.class.getName());
    /** Transaction recovery settles a branch left prepared in the other broker within its scans (every 2 minutes by default). */
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final String QUEUE = "courier.crash";

    @Test
    void messagesKilledOnTheirWayAreInTheOtherBrokersQueueOnceEach() throws Exception {
        String sender = "JMS-CRASH-" + hex(8);
        try (PartnerBroker broker = PartnerBroker.start(Path.of("target", "partner-broker", "crash-" + sender))) {
            // each commit in the other broker held 200 ms: the kill finds transactions prepared there,
            // which only transaction recovery can settle
            broker.slowCommits(Duration.ofMillis(200));
            Senders.UnderLoad senders = Senders.underLoad(8, n -> "J" + n + "-" + hex(6),
                    id -> courier.send(sender, "JmsCrash", id, payload(id)));
            Set<String> acknowledged = senders.acknowledged();
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 150 && broker.count(QUEUE) >= 50 && broker.prepared() > 0);

            crash();
            long inQueueAtKill = broker.count(QUEUE);
            int preparedAtKill = broker.prepared();
            senders.stop();
            broker.slowCommits(Duration.ZERO);
            long waitingAtKill = acknowledged.size() - inQueueAtKill;
            restart();

            // a real sender resends what it has no acknowledgement for, with the same id
            int resent = senders.resendUnknown(DEADLINE);
            assertThat(waitingAtKill).as("acknowledged messages not yet in the queue at the kill").isPositive();
            assertThat(preparedAtKill).as("transactions prepared in the other broker at the kill").isPositive();
            await().atMost(DEADLINE).until(() -> database.delivered(sender) == acknowledged.size());
            assertThat(database.messages(sender)).isEqualTo(acknowledged.size());
            await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> broker.prepared() == 0 && broker.count(QUEUE) >= acknowledged.size());

            List<Received> received = broker.take(QUEUE);
            Map<String, Long> copies = received.stream()
                    .collect(Collectors.groupingBy(m -> m.property("CourierMessageId"), Collectors.counting()));
            assertThat(copies.keySet()).as("the queue: the acknowledged messages").containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("messages in the queue more than once").isEmpty();
            Map<String, Received> byId = received.stream()
                    .collect(Collectors.toMap(m -> m.property("CourierMessageId"), Function.identity()));
            acknowledged.forEach(id -> assertThat(byId.get(id).text()).as("message %s", id).isEqualTo(payload(id)));
            LOG.info("kill -9 under load: " + acknowledged.size() + " messages acknowledged (" + waitingAtKill + " not yet in"
                    + " the queue at the kill, " + preparedAtKill + " transactions prepared in the other broker then), "
                    + resent + " unknown at the crash and resent; each once in the queue, nothing left prepared");
        }
    }

    private static String payload(String id) {
        return "<order xmlns=\"urn:courier:test\"><id>" + id + "</id><body>" + "x".repeat(1000) + "</body></order>";
    }
}
