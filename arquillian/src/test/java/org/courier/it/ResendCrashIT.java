package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;
import static org.courier.it.support.InOrderTestData.order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierClient.Acknowledgement;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * The failure store and its scheduled resend across a hard crash: WildFly is killed with SIGKILL
 * while the {@code courier-resend} job keeps sending FAILED deliveries again, and restarted; every
 * acknowledged message must still be delivered, and only deliveries in flight at the kill may reach
 * the receiver twice.
 *
 * <p>The crash container runs the job by its timer every 2 s ({@code courier.resend.interval=PT2S})
 * with {@code backoff=PT1S}, {@code max-backoff=PT2S} and {@code max-resends=50}, so a delivery to a
 * receiver that keeps failing goes round FAILED → resent → FAILED every 2 to 4 s for minutes, and
 * with {@code courier.delivery.max-attempts=3} (quick attempts at about 0, 1 and 3 s), so that a
 * delivery reaches the store a few seconds after it was accepted.
 */
class ResendCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(ResendCrashIT.class.getName());
    private static final String INTERFACE = "Crash";
    /** Quick attempts, the first FAILED, one due time (≤ 1.2 s) and a timer run (every 2 s), on a slow machine. */
    private static final Duration FIRST_RESEND_DEADLINE = Duration.ofSeconds(90);
    /** Covers a restart, the transaction recovery and the resends after it. */
    private static final Duration AFTER_RESTART_DEADLINE = Duration.ofSeconds(180);

    private final CourierAdmin admin = new CourierAdmin();

    @Test
    void killWhileTheResendJobDeliversFailedEntriesLosesNothingAndRepeatsOnlyDeliveriesInFlight() throws Exception {
        String sender = "RESEND-CRASH-" + hex(8);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.answer(503);
            List<String> ids = sendConcurrently(sender, INTERFACE, 64, 8);
            // every delivery ran out of quick attempts and went through a failed resend round of the timer's job
            awaitEachResentAtLeastOnce(sender, ids);
            assertThat(ReceiverLedger.of(receiver).deliveredIds(sender)).isEmpty();

            // the receiver recovers, slowly: the job's next rounds deliver, 16 at a time, half a second each
            receiver.delay(Duration.ofMillis(500));
            receiver.answer(200);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    ReceiverLedger.of(receiver).deliveredIds(sender).size() >= DELIVERIES_IN_FLIGHT);
            Instant killedAt = Instant.now();
            crash();
            int deliveredAtKill = ReceiverLedger.of(receiver).deliveredIds(sender).size();
            LOG.info("killed during the resend rounds with " + deliveredAtKill + " of " + ids.size() + " delivered");
            assertThat(deliveredAtKill).as("messages delivered when the server was killed")
                    .isLessThan(ids.size());
            // on PostgreSQL the job repository is in the database: a run the kill cut short stays STARTED
            // there, and the restarted node must end it, or no resend run would start again (this one
            // is certain; whether a real one was cut short is chance)
            long leftBehind = database.isH2() ? 0 : database.runLeftStartedBy("courier-1", "courier-resend");
            restart();

            await().atMost(AFTER_RESTART_DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    ReceiverLedger.of(receiver).deliveredAll(sender, ids));
            // the receiver answers before Courier commits DELIVERED; rows still locked by branches the kill left
            // in doubt commit only after transaction recovery has rolled those back: wait for both
            await().atMost(AFTER_RESTART_DEADLINE).until(() -> database.delivered(sender) == ids.size());
            if (!database.isH2()) {
                assertThat(database.runFailed(leftBehind, "courier: node courier-1 restarted"))
                        .as("the run the kill left STARTED, ended by the restarted node").isTrue();
            }
            // settled: nothing is sent again any more
            int arrivals = arrivalsOf(receiver, sender);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    arrivalsOf(receiver, sender) == arrivals);
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            LOG.info("kill -9 during resend rounds: " + ids.size() + " acknowledged, all delivered; "
                    + ledger.repeats(sender) + " repeated arrivals (answered, then killed before the commit): "
                    + ledger.repeated(sender));
            // only deliveries in flight at the moment of the kill can reach the receiver twice
            assertThat(ledger.repeats(sender)).as(() -> "repeats; 2xx arrivals of the repeated messages (killed at "
                            + killedAt + "): " + arrivalTimes(receiver, sender, ledger.repeated(sender).keySet()))
                    .isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(ledger.repeated(sender).values()).as("arrivals per repeated message").allMatch(n -> n == 2);
            assertThat(database.messages(sender)).isEqualTo(ids.size());
            assertThat(storeEntries(sender)).as("failure store of " + sender).isEmpty();
        }
    }

    @Test
    void failedEntriesAndTheirHeldSuccessorsSurviveAKillAndAreResentOnceInOrder() throws Exception {
        String sender = "RESEND-HELD-" + hex(8);
        Map<String, List<String>> idsByQueue = new LinkedHashMap<>();
        for (int q = 0; q < 2; q++) {
            String queueId = newQueueId();
            idsByQueue.put(queueId, ids(queueId, 4));
        }
        List<String> heads = idsByQueue.values().stream().map(ids -> ids.get(0)).toList();
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.stop();
            List<String> single = sendConcurrently(sender, INTERFACE, 16, 4);
            idsByQueue.forEach((queueId, ids) -> {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    Acknowledgement ack = courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id));
                    assertThat(ack.result()).isEqualTo("ACCEPTED");
                    assertThat(ack.sequence()).isEqualTo(i + 1);
                }
            });
            List<String> allIds = new ArrayList<>(single);
            idsByQueue.values().forEach(allIds::addAll);

            // every Exactly Once message and every queue head is in the store and has had a resend round;
            // the successors wait behind their head
            List<String> failing = new ArrayList<>(single);
            failing.addAll(heads);
            awaitEachResentAtLeastOnce(sender, failing);
            idsByQueue.values().forEach(ids -> assertSuccessorsHeldBehindTheirHead(sender, ids));
            assertThat(receiver.total()).isZero();

            crash();
            receiver.restart();
            restart();

            await().atMost(AFTER_RESTART_DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    ReceiverLedger.of(receiver).deliveredAll(sender, allIds));
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            idsByQueue.forEach((queueId, ids) -> {
                assertThat(ledger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                        .containsExactlyElementsOf(ids);
                assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                        .containsExactlyElementsOf(oneTo(ids.size()));
            });
            // Nothing was answered before the kill. After it, branches the kill left in doubt hold their row locks
            // until transaction recovery rolls them back; a delivery POSTed meanwhile whose commit meets such a
            // lock rolls back and is POSTed again - bounded, like every redelivery, by the deliveries in flight.
            await().atMost(AFTER_RESTART_DEADLINE).until(() -> database.delivered(sender) == allIds.size());
            int arrivals = ReceiverLedger.of(receiver).delivered().size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    ReceiverLedger.of(receiver).delivered().size() == arrivals);
            long repeats = ReceiverLedger.of(receiver).repeats(sender);
            LOG.info("held and failed entries across a kill: " + allIds.size() + " delivered in order, " + repeats
                    + " repeated after the restart");
            assertThat(repeats).isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(database.messages(sender)).isEqualTo(allIds.size());
            assertThat(storeEntries(sender)).as("failure store of " + sender).isEmpty();
        }
    }

    /**
     * Waits until each of these deliveries has been seen in the failure store after a failed resend
     * round ({@code resends >= 1}). A delivery in a round is PENDING and not in the store, so the
     * sightings are gathered over several looks.
     */
    private void awaitEachResentAtLeastOnce(String sender, List<String> ids) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        await().atMost(FIRST_RESEND_DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (FailureEntry entry : storeEntries(sender)) {
                if (entry.resends() >= 1) {
                    assertThat(entry.state()).as("state of %s", entry.messageId()).isEqualTo(CourierAdmin.FAILED);
                    seen.add(entry.messageId());
                }
            }
            return seen.containsAll(ids);
        });
    }

    private List<FailureEntry> storeEntries(String sender) {
        return admin.failures(RECEIVER).stream().filter(e -> sender.equals(e.sender())).toList();
    }

    private static Map<String, List<Instant>> arrivalTimes(TestReceiver receiver, String sender, Set<String> messageIds) {
        Map<String, List<Instant>> times = new LinkedHashMap<>();
        receiver.arrivals().stream()
                .filter(a -> sender.equals(a.sender()) && a.answered2xx() && messageIds.contains(a.messageId()))
                .forEach(a -> times.computeIfAbsent(a.messageId(), id -> new ArrayList<>()).add(a.at()));
        return times;
    }

    private static int arrivalsOf(TestReceiver receiver, String sender) {
        return (int) receiver.arrivals().stream().filter(a -> sender.equals(a.sender())).count();
    }
}
