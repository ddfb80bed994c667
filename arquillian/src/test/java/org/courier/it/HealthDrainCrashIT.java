package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;
import static org.courier.it.support.InOrderTestData.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * Receiver health across a hard crash: a receiver is DOWN with hundreds of deliveries waiting for
 * it; it answers again, and WildFly is killed with SIGKILL while the waiting deliveries go out
 * (the drain), then restarted. Every message must arrive, each queue in its order, and only
 * deliveries in flight at the kill may arrive twice: the drain takes each waiting delivery under
 * its row lock in a transaction that also dispatches it, so a kill leaves each one either waiting
 * (the next drain, after the restart, takes it) or on its way.
 *
 * <p>Receiver {@code sickly} (port 18110) is DOWN after 3 failed attempts in a row; the crash
 * server probes a DOWN receiver every 2 s (arquillian.xml).
 */
class HealthDrainCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(HealthDrainCrashIT.class.getName());
    private static final String INTERFACE = "Sickly";
    private static final String SICKLY = "sickly";
    private static final int SINGLE = 200;
    private static final int QUEUE_LENGTH = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    private final ServerMetrics metrics = new ServerMetrics();

    @Test
    void killDuringTheDrainAfterAnOutageLosesNothingAndRepeatsOnlyDeliveriesInFlight() throws Exception {
        String sender = "HEALTH-CRASH-" + hex(8);
        try (TestReceiver receiver = TestReceiver.start(18110)) {
            receiver.answer(503);
            List<String> single = sendConcurrently(sender, INTERFACE, SINGLE, 8);
            Map<String, List<String>> queues = new LinkedHashMap<>();
            for (int q = 0; q < 2; q++) {
                String queueId = newQueueId();
                List<String> ids = ids(queueId, QUEUE_LENGTH);
                for (String id : ids) {
                    assertThat(courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id)).result())
                            .isEqualTo("ACCEPTED");
                }
                queues.put(queueId, ids);
            }
            List<String> all = new ArrayList<>(single);
            queues.values().forEach(all::addAll);

            // down: every single message and both queue heads wait for the receiver
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    metrics.value("courier_receiver_waiting", "receiver", SICKLY).orElse(0) >= SINGLE + queues.size());
            int requestsWhileDown = receiver.total();
            LOG.info("receiver down with " + (SINGLE + queues.size()) + " deliveries waiting after " + requestsWhileDown
                    + " requests");
            assertThat(requestsWhileDown).as("requests before the deliveries waited").isLessThan(SINGLE);

            // back, slowly: the drain is under way when the server is killed
            receiver.delay(Duration.ofMillis(200));
            receiver.answer(200);
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() ->
                    ReceiverLedger.of(receiver).deliveredIds(sender).size() >= 20);
            crash();
            int deliveredAtKill = ReceiverLedger.of(receiver).deliveredIds(sender).size();
            LOG.info("killed during the drain with " + deliveredAtKill + " of " + all.size() + " delivered");
            assertThat(deliveredAtKill).as("messages delivered at the kill").isLessThan(all.size());
            restart();

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    ReceiverLedger.of(receiver).deliveredAll(sender, all));
            await().atMost(DEADLINE).until(() -> database.delivered(sender) == all.size());
            int arrivals = receiver.total();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> receiver.total() == arrivals);

            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            LOG.info("kill -9 during the drain: " + all.size() + " acknowledged, all delivered; " + ledger.repeats(sender)
                    + " repeated arrivals: " + ledger.repeated(sender));
            assertThat(ledger.repeats(sender)).as("repeats (only deliveries in flight at the kill)")
                    .isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(ledger.repeated(sender).values()).as("arrivals per repeated message").allMatch(n -> n == 2);
            queues.forEach((queueId, ids) -> {
                assertThat(ledger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                        .containsExactlyElementsOf(ids);
                assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                        .containsExactlyElementsOf(oneTo(ids.size()));
            });
            assertThat(database.messages(sender)).isEqualTo(all.size());
        }
    }
}
