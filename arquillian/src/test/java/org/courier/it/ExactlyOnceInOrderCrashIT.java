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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.courier.it.support.CourierClient.Acknowledgement;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * Exactly Once In Order across a hard crash: the WildFly process is killed with SIGKILL and
 * restarted; every acknowledged message must still be delivered, and per queue the receiver must
 * see the messages in sequence order. Order is judged on first arrivals, as an idempotent receiver
 * sees them: a delivery answered just before the kill and not yet recorded by Courier is sent again.
 */
class ExactlyOnceInOrderCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceInOrderCrashIT.class.getName());
    private static final String INTERFACE = "Crash";
    /** Covers a restart, the transaction recovery of in-doubt receipts and the resends behind them. */
    private static final Duration RESEND_DEADLINE = Duration.ofSeconds(180);

    @Test
    void killUnderLoadKeepsEveryQueueInOrderAndLosesNoAcknowledgedMessage() throws Exception {
        int queues = 10;
        int perQueue = 40;
        String sender = "EOIO-CRASH-" + hex(8);
        Map<String, List<String>> idsByQueue = new LinkedHashMap<>();
        for (int q = 0; q < queues; q++) {
            String queueId = newQueueId();
            idsByQueue.put(queueId, ids(queueId, perQueue));
        }
        List<String> allIds = idsByQueue.values().stream().flatMap(List::stream).toList();
        Map<String, Acknowledgement> acknowledged = new ConcurrentHashMap<>();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicLong inFlightAtKill = new AtomicLong();
        CountDownLatch restarted = new CountDownLatch(1);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.delay(Duration.ofMillis(20));
            ExecutorService senders = Executors.newFixedThreadPool(queues);
            try {
                // one sender per queue: the next message only after the acknowledgement of the previous
                List<Future<?>> loops = new ArrayList<>();
                idsByQueue.forEach((queueId, ids) -> loops.add(senders.submit(() -> {
                    for (String id : ids) {
                        acknowledged.put(id, sendInTurn(sender, queueId, id, unknown, killed, restarted));
                    }
                    return null;
                })));
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        acknowledged.size() >= 100 && receiver.delivered() >= 30);

                try {
                    killed.set(true);
                    crash();
                    Set<String> deliveredAtKill = ReceiverLedger.of(receiver).deliveredIds(sender);
                    inFlightAtKill.set(acknowledged.keySet().stream().filter(id -> !deliveredAtKill.contains(id)).count());
                    LOG.info("killed with " + acknowledged.size() + " acknowledged and " + deliveredAtKill.size()
                            + " delivered");
                    restart();
                } finally {
                    restarted.countDown();
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                for (Future<?> loop : loops) {
                    loop.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } finally {
                senders.shutdownNow();
            }

            // the kill came mid-flow: acknowledged messages were still on their way to the receiver
            assertThat(inFlightAtKill.get()).as("acknowledged, not yet delivered when the server was killed").isPositive();
            assertThat(acknowledged).hasSize(allIds.size());
            idsByQueue.forEach((queueId, ids) -> assertThat(ids).as("acknowledged sequences of queue %s", queueId)
                    .extracting(id -> acknowledged.get(id).sequence()).containsExactlyElementsOf(oneTo(perQueue)));
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, allIds));

            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            idsByQueue.forEach((queueId, ids) -> {
                assertThat(ledger.messageIds(sender, queueId)).as("first arrivals of queue %s", queueId)
                        .containsExactlyElementsOf(ids);
                assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                        .containsExactlyElementsOf(oneTo(perQueue));
            });
            long repeats = ledger.repeats(sender);
            LOG.info("kill -9 under in-order load: " + acknowledged.size() + " acknowledged in " + queues
                    + " queues, " + unknown.size() + " unknown at the crash and resent, all delivered in order; "
                    + repeats + " repeated arrivals (POSTed, then killed before the commit): " + ledger.repeated(sender));
            // only deliveries in flight at the moment of the kill can reach the receiver twice
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(receiver, sender, DELIVERIES_IN_FLIGHT);
            assertThat(database.messages(sender)).isEqualTo(allIds.size());
            // the receiver answers before Courier commits DELIVERED: wait for the commit
            await().atMost(Duration.ofSeconds(180)).until(() -> database.delivered(sender) == allIds.size());
        }
    }

    @Test
    void heldMessagesStayHeldAcrossAKillAndFollowTheirHeadInOrder() throws Exception {
        String sender = "EOIO-HELD-" + hex(8);
        Map<String, List<String>> idsByQueue = new LinkedHashMap<>();
        for (int q = 0; q < 3; q++) {
            String queueId = newQueueId();
            idsByQueue.put(queueId, ids(queueId, 5));
        }
        List<String> allIds = idsByQueue.values().stream().flatMap(List::stream).toList();
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.stop();
            idsByQueue.forEach((queueId, ids) -> {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    Acknowledgement ack = courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id));
                    assertThat(ack.result()).isEqualTo("ACCEPTED");
                    assertThat(ack.sequence()).isEqualTo(i + 1);
                }
            });
            // every head has failed, its successors wait behind it
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> idsByQueue.values().forEach(ids -> {
                assertThat(delivery(sender, ids.get(0)).attempts()).isGreaterThanOrEqualTo(1);
                assertSuccessorsHeldBehindTheirHead(sender, ids);
            }));
            assertThat(receiver.total()).isZero();

            crash();
            receiver.restart();
            restart();

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, allIds));
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            idsByQueue.forEach((queueId, ids) -> {
                assertThat(ledger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                        .containsExactlyElementsOf(ids);
                assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                        .containsExactlyElementsOf(oneTo(ids.size()));
            });
            // Nothing was answered before the kill; after it, a delivery POSTed while a branch left in doubt by the
            // kill still locks its row is POSTed again once recovery released it: bounded by the deliveries in flight.
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(receiver, sender, DELIVERIES_IN_FLIGHT);
            await().atMost(Duration.ofSeconds(180)).until(() -> database.delivered(sender) == allIds.size());
        }
    }

    /**
     * Sends one message of a queue as a real sender does: without an answer (the server died, or
     * a retryable fault) it does not go on with the next message but resends this one with the
     * same id, after the restart if the server was killed, until it is acknowledged.
     */
    private Acknowledgement sendInTurn(String sender, String queueId, String id, Set<String> unknown,
                                       AtomicBoolean killed, CountDownLatch restarted) throws InterruptedException {
        try {
            return courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id));
        } catch (RuntimeException noAnswer) {
            unknown.add(id);
        }
        if (killed.get()) {
            assertThat(restarted.await(5, TimeUnit.MINUTES)).as("server restarted").isTrue();
        }
        AtomicReference<Acknowledgement> ack = new AtomicReference<>();
        await().atMost(RESEND_DEADLINE).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    ack.set(courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id)));
                    return true;
                });
        return ack.get();
    }
}
