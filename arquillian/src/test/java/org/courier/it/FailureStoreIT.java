package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;
import static org.courier.it.support.InOrderTestData.order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.AdminCallFailed;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierAdmin.LaneView;
import org.courier.it.support.CourierAdmin.ResendRun;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.Acknowledgement;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The failure store and the scheduled resend end to end, black box: a delivery whose quick retries
 * run out is FAILED and in the store with the time of its next resend; the {@code courier-resend}
 * job, started here through the admin API, sends every due entry once more, backing off
 * exponentially per failed round until the resends run out (ERROR); a receiver that refuses for good
 * (4xx) makes a delivery ERROR at once.
 *
 * <p>The test server runs with {@code -Dcourier.delivery.max-attempts=5} (quick attempts at about 0,
 * 1, 3, 7 and 15 s), {@code -Dcourier.delivery.parallel=4}, {@code -Dcourier.resend.interval=PT1H}
 * (the timer never fires during a test: only the tests start the job), {@code backoff=PT2S},
 * {@code max-backoff=PT10S} and {@code max-resends=3}. Each test uses its own sender; the store is
 * shared with other tests, so every look into it is filtered by sender.
 */
@ExtendWith(ArquillianExtension.class)
class FailureStoreIT {

    private static final Logger LOG = Logger.getLogger(FailureStoreIT.class.getName());
    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);
    /** Long enough for five quick attempts (~15 s) on a slow machine. */
    private static final Duration ATTEMPTS_RUN_OUT_DEADLINE = Duration.ofSeconds(60);
    /** Long enough for a resend round whose entry is due in up to max-backoff * 1.2 = 12 s. */
    private static final Duration RESEND_ROUND_DEADLINE = Duration.ofSeconds(45);
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);
    private static final int MAX_ATTEMPTS = 5;
    private static final int MAX_RESENDS = 3;
    /** GET /failures lists at most this many entries. */
    private static final int LISTED_AT_MOST = 1000;
    private static final Duration BACKOFF = Duration.ofSeconds(2);
    /**
     * Slack on the scheduled wait beyond the jitter of [0.8, 1.2]: the times travel with millisecond
     * precision, and the due time may be taken a moment after the attempt was recorded.
     */
    private static final Duration TIME_SLACK = Duration.ofMillis(100);
    private static final String FLAKY = "flaky";
    private static final String ORDERED = "ordered";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final List<TestReceiver> receivers = new ArrayList<>();

    private TestReceiver flaky;
    private TestReceiver ordered;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        flaky = receiver(18083);
        ordered = receiver(18086);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void receiverDownLongerThanTheQuickRetriesGetsEveryMessageOnceFromTheResendJob() {
        String sender = newSender();
        flaky.stop();
        List<String> ids = sendFlaky(sender, 10);

        awaitState(sender, ids, FLAKY, CourierAdmin.FAILED, ATTEMPTS_RUN_OUT_DEADLINE);

        assertThat(flaky.total()).isZero();
        for (String id : ids) {
            ReceiverDelivery failed = delivery(sender, id, FLAKY);
            assertThat(failed.attempts()).as("attempts of %s", id).isEqualTo(MAX_ATTEMPTS);
            assertThat(failed.lastError()).as("lastError of %s", id).contains("connection refused");
            assertThat(failed.lastAttempt()).as("lastAttemptAt of %s", id).isNotNull();
            assertThat(failed.nextAttempt()).as("nextAttemptAt of %s", id).isAfter(failed.lastAttempt());
            assertThat(failed.deliveredAt()).isNull();
        }
        List<FailureEntry> stored = storeEntries(FLAKY, sender);
        assertThat(stored).extracting(FailureEntry::messageId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(stored).allSatisfy(entry -> {
            assertThat(entry.sender()).isEqualTo(sender);
            assertThat(entry.receiver()).isEqualTo(FLAKY);
            assertThat(entry.state()).isEqualTo(CourierAdmin.FAILED);
            assertThat(entry.attempts()).isEqualTo(MAX_ATTEMPTS);
            assertThat(entry.resends()).isZero();
            assertThat(entry.lastError()).contains("connection refused");
            assertThat(entry.nextAttempt()).as("nextAttemptAt of %s", entry.messageId()).isNotNull();
            assertBackoff(entry, BACKOFF);
            assertThat(entry.queueId()).isNull();
            assertThat(entry.sequence()).isNull();
            // the operator's view and the sender's view tell the same due time
            assertSameInstant(entry.nextAttempt(), delivery(sender, entry.messageId(), FLAKY).nextAttempt());
        });
        // unfiltered, the store lists them as well: oldest attempt first, at most a page of 1000, so
        // an entry of ours may be missing only past a full page of entries that failed before it
        // (another test's leftovers)
        List<FailureEntry> everybody = admin.failures(null);
        List<String> listed = everybody.stream().filter(e -> sender.equals(e.sender())).map(FailureEntry::messageId).toList();
        for (FailureEntry entry : stored) {
            if (!listed.contains(entry.messageId())) {
                assertThat(everybody).as("the unfiltered list without %s", entry.messageId()).hasSize(LISTED_AT_MOST);
                assertThat(entry.lastAttempt()).as("last attempt of %s, unlisted", entry.messageId())
                        .isAfterOrEqualTo(everybody.get(everybody.size() - 1).lastAttempt());
            }
        }

        flaky.restart();
        // the entries are due 2 s after they failed: the job may have to run more than once
        runResendUntil(DELIVERY_DEADLINE.plus(RESEND_ROUND_DEADLINE),
                () -> ReceiverLedger.of(flaky).deliveredAll(sender, ids));

        assertEachDeliveredOnce(flaky, sender, ids);
        assertThat(ids).allSatisfy(id -> assertThat(flaky.attempts(id)).as("requests for %s", id).isEqualTo(1));
        awaitState(sender, ids, FLAKY, "DELIVERED", DELIVERY_DEADLINE);
        assertThat(ids).allSatisfy(id -> assertThat(delivery(sender, id, FLAKY).nextAttemptAt())
                .as("nextAttemptAt of delivered %s", id).isNull());
        assertThat(storeEntries(FLAKY, sender)).as("failure store of " + sender).isEmpty();
    }

    @Test
    void failedRoundsBackOffExponentiallyFromTheirDueTimesUntilTheResendsRunOut() {
        String sender = newSender();
        flaky.answer(503);
        String id = sendFlaky(sender, 1).get(0);

        awaitState(sender, List.of(id), FLAKY, CourierAdmin.FAILED, ATTEMPTS_RUN_OUT_DEADLINE);

        FailureEntry entry = storeEntry(sender, id, FLAKY).orElseThrow();
        assertThat(entry.state()).isEqualTo(CourierAdmin.FAILED);
        assertThat(entry.resends()).isZero();
        assertThat(entry.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(entry.lastError()).contains("503");
        assertBackoff(entry, BACKOFF);
        ReceiverDelivery failed = delivery(sender, id, FLAKY);
        assertSameInstant(failed.nextAttempt(), entry.nextAttempt());
        assertSameInstant(failed.lastAttempt(), entry.lastAttempt());

        // each failed round doubles the wait: 2 s, 4 s, 8 s (under max-backoff 10 s), each times [0.8, 1.2]
        for (int round = 1; round < MAX_RESENDS; round++) {
            FailureEntry before = entry;
            entry = awaitFailedRound(sender, id, round);

            assertThat(entry.state()).as("state after round %s", round).isEqualTo(CourierAdmin.FAILED);
            assertThat(entry.resends()).isEqualTo(round);
            assertThat(entry.lastError()).contains("503");
            assertResentWhenDueNotBefore(before, entry);
            assertBackoff(entry, BACKOFF.multipliedBy(1L << round));
            // one resend round is one more attempt: one more request at the receiver
            assertThat(flaky.attempts(id)).as("requests after round %s", round).isEqualTo(MAX_ATTEMPTS + round);
            assertThat(entry.attempts()).as("attempts after round %s", round).isEqualTo(MAX_ATTEMPTS + round);
            ReceiverDelivery status = delivery(sender, id, FLAKY);
            assertThat(status.state()).isEqualTo(CourierAdmin.FAILED);
            assertSameInstant(status.nextAttempt(), entry.nextAttempt());
        }

        FailureEntry before = entry;
        FailureEntry exhausted = awaitFailedRound(sender, id, MAX_RESENDS);

        assertThat(exhausted.state()).as("state once the resends ran out").isEqualTo(CourierAdmin.ERROR);
        assertThat(exhausted.resends()).isEqualTo(MAX_RESENDS);
        assertThat(exhausted.nextAttemptAt()).as("nextAttemptAt of an ERROR entry").isNull();
        assertResentWhenDueNotBefore(before, exhausted);
        assertThat(flaky.attempts(id)).isEqualTo(MAX_ATTEMPTS + MAX_RESENDS);
        ReceiverDelivery error = delivery(sender, id, FLAKY);
        assertThat(error.state()).isEqualTo(CourierAdmin.ERROR);
        assertThat(error.nextAttemptAt()).isNull();
        assertThat(error.lastError()).contains("503");
        // an ERROR entry waits for an operator: the job leaves it alone
        runResendToEnd();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                flaky.attempts(id) == MAX_ATTEMPTS + MAX_RESENDS);
        assertThat(state(sender, id, FLAKY)).isEqualTo(CourierAdmin.ERROR);

        // the operator gives up on it: an ERROR delivery can be cancelled, and leaves the store
        assertThat(admin.cancelDelivery(sender, id, FLAKY)).isEqualTo("CANCELLED");
        assertThat(storeEntry(sender, id, FLAKY)).isEmpty();
        assertThat(state(sender, id, FLAKY)).isEqualTo("CANCELLED");
        assertThat(flaky.count(id)).isZero();
    }

    @Test
    void receiverThatRefusesWith4xxMakesTheDeliveryErrorAtOnceUntilAnOperatorResendsIt() {
        String sender = newSender();
        flaky.answer(400);
        String id = sendFlaky(sender, 1).get(0);

        awaitState(sender, List.of(id), FLAKY, CourierAdmin.ERROR, DELIVERY_DEADLINE);

        ReceiverDelivery refused = delivery(sender, id, FLAKY);
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.lastError()).contains("400");
        assertThat(refused.nextAttemptAt()).isNull();
        // no quick retry (the next would come after about 1 s), no scheduled resend
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> flaky.attempts(id) == 1);
        FailureEntry entry = storeEntry(sender, id, FLAKY).orElseThrow();
        assertThat(entry.state()).isEqualTo(CourierAdmin.ERROR);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).contains("400");
        assertThat(entry.nextAttemptAt()).isNull();
        runResendToEnd();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> flaky.attempts(id) == 1);
        assertThat(state(sender, id, FLAKY)).isEqualTo(CourierAdmin.ERROR);

        flaky.answer(200);
        assertThat(admin.resendDelivery(sender, id, FLAKY)).isEqualTo("PENDING");

        await().atMost(DELIVERY_DEADLINE).until(() -> flaky.count(id) == 1);
        assertEachDeliveredOnce(flaky, sender, List.of(id));
        awaitState(sender, List.of(id), FLAKY, "DELIVERED", DELIVERY_DEADLINE);
        assertThat(storeEntry(sender, id, FLAKY)).isEmpty();
        // only a FAILED or ERROR delivery can be resent
        AdminCallFailed conflict = catchThrowableOfType(AdminCallFailed.class,
                () -> admin.resendDelivery(sender, id, FLAKY));
        assertThat(conflict).as("resend of a DELIVERED delivery").isNotNull();
        assertThat(conflict.status()).isEqualTo(409);
    }

    @Test
    void requestTimeoutTooEarlyAndTooManyRequestsAreRetriedNotRefused() {
        String sender = newSender();
        List<String> ids = newIds(3);
        flaky.answer(ids.get(0), 408);
        flaky.answer(ids.get(1), 425);
        flaky.answer(ids.get(2), 429);
        sendFlaky(sender, ids);

        // a second attempt comes about 1 s after the first: the receiver asked for a retry, not refused
        await().atMost(DELIVERY_DEADLINE).until(() -> ids.stream().allMatch(id -> flaky.attempts(id) >= 2));
        // from here the test must be done before the fifth attempt (~15 s)
        assertThat(ids).allSatisfy(id -> assertThat(state(sender, id, FLAKY)).as("state of %s", id)
                .isEqualTo("PENDING"));
        assertThat(delivery(sender, ids.get(2), FLAKY).lastError()).contains("429");
        ids.forEach(flaky::clearAnswer);

        await().atMost(DELIVERY_DEADLINE).until(() -> ReceiverLedger.of(flaky).deliveredAll(sender, ids));
        assertEachDeliveredOnce(flaky, sender, ids);
        awaitState(sender, ids, FLAKY, "DELIVERED", DELIVERY_DEADLINE);
    }

    /**
     * The stop comes while the run is running, for certain: this test holds the row locks of the
     * sender's deliveries, so the run's first resend waits for them; the run is stopped, the locks
     * are released, the run ends STOPPED after its first chunk (50 of the 60 entries at most), and
     * its restart resends the rest. Every message arrives once.
     */
    @Test
    void resendJobStoppedMidRunAndRestartedDeliversEveryMessageOnce() {
        String sender = newSender();
        flaky.stop();
        List<String> ids = sendFlaky(sender, 60); // more than one chunk (50) of the job
        awaitState(sender, ids, FLAKY, CourierAdmin.FAILED, ATTEMPTS_RUN_OUT_DEADLINE);
        // due 2 s after they failed: all of them, before the run starts
        awaitAllDue(sender, ids, FLAKY);
        flaky.restart();

        long first;
        try (CourierDatabase.RowLocks held = database.lockRows("select ID from COURIER_DELIVERY where MESSAGE_KEY in"
                + " (select ID from COURIER_MESSAGE where SENDER = ?) for update", sender)) {
            assertThat(held.rows()).isEqualTo(ids.size());
            first = admin.runResend();
            await().atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> "STARTED".equals(admin.resendRun(first).status()));
            ResendRun stopping = admin.stopResend(first);
            assertThat(stopping.executionId()).isEqualTo(first);
        }

        ResendRun ended = awaitFinished(first);
        assertThat(ended.status()).as("execution %s stopped while it waited for a row", first).isEqualTo("STOPPED");
        assertThat(ended.resent()).as("entries the stopped run resent").isLessThan(ids.size());
        long restarted = admin.restartResend(first);
        assertThat(restarted).as("the restart is a new execution").isNotEqualTo(first);
        ResendRun rest = awaitFinished(restarted);
        assertThat(rest.status()).as("restarted execution %s", restarted).isEqualTo("COMPLETED");
        LOG.info("resend job stopped after " + ended.resent() + " entries; its restart resent " + rest.resent());
        // whatever the stop left behind is due and goes with a later run
        runResendUntil(DELIVERY_DEADLINE.plus(RESEND_ROUND_DEADLINE),
                () -> ReceiverLedger.of(flaky).deliveredAll(sender, ids));

        assertEachDeliveredOnce(flaky, sender, ids);
        assertThat(ids).allSatisfy(id -> assertThat(flaky.attempts(id)).as("requests for %s", id).isEqualTo(1));
        awaitState(sender, ids, FLAKY, "DELIVERED", DELIVERY_DEADLINE);
        assertThat(storeEntries(FLAKY, sender)).isEmpty();
        assertThat(database.messages(sender)).isEqualTo(ids.size());
    }

    @Test
    void failedHeadOfAnInOrderQueueIsResentByTheJobAndItsHeldSuccessorsFollowInOrder() {
        String sender = "EOIO-" + newSender();
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 5);
        String head = ids.get(0);
        List<String> successors = ids.subList(1, 5);
        ordered.answer(head, 503);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Acknowledgement ack = courier.sendInOrder(sender, "InOrder", id, queueId, order(queueId, id));
            assertThat(ack.result()).isEqualTo("ACCEPTED");
            assertThat(ack.sequence()).isEqualTo(i + 1);
        }

        awaitState(sender, List.of(head), ORDERED, CourierAdmin.FAILED, ATTEMPTS_RUN_OUT_DEADLINE);

        ReceiverDelivery failed = delivery(sender, head, ORDERED);
        assertThat(failed.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(failed.lastError()).contains("503");
        assertThat(failed.nextAttempt()).isNotNull();
        assertThat(successors).allSatisfy(id -> {
            ReceiverDelivery held = delivery(sender, id, ORDERED);
            assertThat(held.state()).as("state of %s", id).isEqualTo("HELD");
            assertThat(held.heldBehind()).as("heldBehind of %s", id).isEqualTo(head);
            assertThat(held.nextAttemptAt()).isNull();
        });
        // only the head is in the store: held messages have not failed
        List<FailureEntry> stored = storeEntries(ORDERED, sender);
        assertThat(stored).extracting(FailureEntry::messageId).containsExactly(head);
        assertThat(stored.get(0).queueId()).isEqualTo(queueId);
        assertThat(stored.get(0).sequence()).isEqualTo(1);
        assertThat(stored.get(0).state()).isEqualTo(CourierAdmin.FAILED);
        LaneView blocked = admin.queue(sender, queueId).lane(ORDERED).orElseThrow();
        assertThat(blocked.state()).isEqualTo("BLOCKED");
        assertThat(blocked.held()).isEqualTo(successors.size());
        assertThat(successors).allSatisfy(id -> assertThat(ordered.attempts(id)).as("requests for %s", id).isZero());

        ordered.clearAnswer(head);
        runResendUntil(DELIVERY_DEADLINE.plus(RESEND_ROUND_DEADLINE),
                () -> ReceiverLedger.of(ordered).deliveredAll(sender, ids));

        ReceiverLedger ledger = ReceiverLedger.of(ordered);
        assertThat(ledger.messageIds(sender, queueId)).as("arrival order").containsExactlyElementsOf(ids);
        assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence").containsExactlyElementsOf(oneTo(5));
        assertEachDeliveredOnce(ordered, sender, ids);
        // the head: five quick attempts and one resend; each successor: one request, after the head
        assertThat(ordered.attempts(head)).isEqualTo(MAX_ATTEMPTS + 1);
        assertThat(successors).allSatisfy(id -> assertThat(ordered.attempts(id)).as("requests for %s", id).isEqualTo(1));
        awaitState(sender, ids, ORDERED, "DELIVERED", DELIVERY_DEADLINE);
        await().atMost(DELIVERY_DEADLINE).untilAsserted(() -> {
            LaneView idle = admin.queue(sender, queueId).lane(ORDERED).orElseThrow();
            assertThat(idle.state()).isEqualTo("IDLE");
            assertThat(idle.held()).isZero();
        });
        assertThat(storeEntries(ORDERED, sender)).isEmpty();
    }

    @Test
    void resendAllSendsEveryFailedDeliveryOfAReceiverAgainNow() {
        String sender = newSender();
        flaky.stop();
        List<String> ids = sendFlaky(sender, 3);
        awaitState(sender, ids, FLAKY, CourierAdmin.FAILED, ATTEMPTS_RUN_OUT_DEADLINE);
        assertThat(storeEntries(FLAKY, sender)).hasSize(ids.size());
        flaky.restart();

        int resent = admin.resendAll(FLAKY);

        assertThat(resent).as("deliveries resent (this test's and any other FAILED/ERROR of flaky)")
                .isGreaterThanOrEqualTo(ids.size());
        await().atMost(DELIVERY_DEADLINE).until(() -> ReceiverLedger.of(flaky).deliveredAll(sender, ids));
        assertEachDeliveredOnce(flaky, sender, ids);
        awaitState(sender, ids, FLAKY, "DELIVERED", DELIVERY_DEADLINE);
        // a fresh count of attempts: the one that succeeded
        assertThat(ids).allSatisfy(id -> assertThat(delivery(sender, id, FLAKY).attempts())
                .as("attempts of %s after resend-all", id).isEqualTo(1));
        assertThat(storeEntries(FLAKY, sender)).isEmpty();
    }

    // --- the resend job

    /** Starts the resend job and waits for its end, which must be COMPLETED. */
    private ResendRun runResendToEnd() {
        long executionId = admin.runResend();
        ResendRun run = awaitFinished(executionId);
        assertThat(run.status()).as("resend job execution %s", executionId).isEqualTo("COMPLETED");
        return run;
    }

    private ResendRun awaitFinished(long executionId) {
        await().atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.resendRun(executionId).finished());
        ResendRun run = admin.resendRun(executionId);
        assertThat(run.executionId()).isEqualTo(executionId);
        return run;
    }

    /**
     * Runs the resend job, each run to its end, again and again until {@code done}: an entry is
     * resent only once it is due, and its resend round ends some time after the run that started it.
     */
    private void runResendUntil(Duration deadline, Callable<Boolean> done) {
        await().atMost(deadline).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (done.call()) {
                return true;
            }
            runResendToEnd();
            return done.call();
        });
    }

    /**
     * Runs the job until the entry has come out of resend round {@code round}: FAILED again with
     * {@code resends == round}, or ERROR. The job also runs before the entry is due, which must not
     * resend it early.
     */
    private FailureEntry awaitFailedRound(String sender, String id, int round) {
        runResendUntil(RESEND_ROUND_DEADLINE, () -> storeEntry(sender, id, FLAKY)
                .map(e -> e.resends() >= round
                        && (e.state().equals(CourierAdmin.FAILED) || e.state().equals(CourierAdmin.ERROR)))
                .orElse(false));
        return storeEntry(sender, id, FLAKY).orElseThrow();
    }

    private void awaitAllDue(String sender, List<String> ids, String receiver) {
        await().atMost(RESEND_ROUND_DEADLINE).until(() -> {
            List<FailureEntry> entries = storeEntries(receiver, sender);
            Instant now = Instant.now();
            return entries.size() == ids.size() && entries.stream().allMatch(e ->
                    e.nextAttempt() != null && !e.nextAttempt().isAfter(now));
        });
    }

    // --- what Courier reports

    private List<FailureEntry> storeEntries(String receiver, String sender) {
        return admin.failures(receiver).stream().filter(e -> sender.equals(e.sender())).toList();
    }

    private Optional<FailureEntry> storeEntry(String sender, String id, String receiver) {
        return storeEntries(receiver, sender).stream().filter(e -> id.equals(e.messageId())).findFirst();
    }

    private ReceiverDelivery delivery(String sender, String id, String receiver) {
        return courier.status(sender, id).delivery(receiver).orElseThrow(() ->
                new AssertionError("no delivery of " + id + " to " + receiver));
    }

    private String state(String sender, String id, String receiver) {
        return courier.status(sender, id).delivery(receiver).map(ReceiverDelivery::state).orElse("");
    }

    private void awaitState(String sender, List<String> ids, String receiver, String state, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(250)).until(() ->
                ids.stream().allMatch(id -> state.equals(state(sender, id, receiver))));
    }

    /** The wait scheduled after the last attempt is the nominal backoff times a jitter in [0.8, 1.2]. */
    private static void assertBackoff(FailureEntry entry, Duration nominal) {
        assertThat(entry.backoff()).as("nextAttemptAt - lastAttemptAt of %s after %s resends (nominal %s)",
                        entry.messageId(), entry.resends(), nominal)
                .isBetween(nominal.multipliedBy(8).dividedBy(10).minus(TIME_SLACK),
                        nominal.multipliedBy(12).dividedBy(10).plus(TIME_SLACK));
    }

    /** The resend round's attempt came when the entry was due, not before. */
    private static void assertResentWhenDueNotBefore(FailureEntry before, FailureEntry after) {
        assertThat(after.lastAttempt()).as("attempt of resend round %s (due at %s)", after.resends(),
                        before.nextAttemptAt())
                .isAfterOrEqualTo(before.nextAttempt().minusMillis(1));
    }

    /** Equal up to the millisecond precision of xs:dateTime. */
    private static void assertSameInstant(Instant actual, Instant expected) {
        assertThat(actual).isNotNull();
        assertThat(Duration.between(expected, actual).abs()).as("%s vs %s", actual, expected)
                .isLessThan(Duration.ofMillis(1));
    }

    // --- what the receivers got

    /** Holds for a while: a redelivery would show up within this time. */
    private static void assertEachDeliveredOnce(TestReceiver receiver, String sender, List<String> ids) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> {
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            return ids.stream().allMatch(id -> ledger.deliveries(sender, id) == 1);
        });
    }

    // --- test data

    private List<String> sendFlaky(String sender, int count) {
        List<String> ids = newIds(count);
        sendFlaky(sender, ids);
        return ids;
    }

    private void sendFlaky(String sender, List<String> ids) {
        for (String id : ids) {
            assertThat(courier.send(sender, "Flaky", id, payload(id)).result()).as("result for %s", id)
                    .isEqualTo("ACCEPTED");
        }
    }

    private TestReceiver receiver(int port) {
        TestReceiver receiver = TestReceiver.start(port);
        receivers.add(receiver);
        return receiver;
    }

    private static List<String> newIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    private static String newSender() {
        return "FS-" + hex(8);
    }

    private static String payload(String id) {
        return "<order xmlns=\"urn:example:orders\"><id>" + id + "</id><amount>42.00</amount></order>";
    }
}
