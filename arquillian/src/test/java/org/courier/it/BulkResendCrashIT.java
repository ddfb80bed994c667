package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * A bulk resend across a hard crash: 700 deliveries refused for good (ERROR) wait in the failure
 * store; the receiver is back, answering slowly; an operator resends them all in chunks, and
 * WildFly is killed with SIGKILL after the first chunk went out, while its deliveries are on
 * their way. After the restart the operator runs the same action again: it takes only what is
 * still in the failure store. Every message arrives; only deliveries in flight at the kill may
 * arrive twice: a chunk's resends are committed with their dispatch, so the kill leaves each
 * delivery either in the failure store (the second run takes it) or on its way (the broker has it).
 */
class BulkResendCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(BulkResendCrashIT.class.getName());
    private static final int COUNT = 700;
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    private final CourierAdmin admin = new CourierAdmin();

    @Test
    void killDuringABulkResendLosesNothingAndTheSameActionAgainFinishesIt() throws Exception {
        String sender = "BULK-CRASH-" + hex(8);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            // refused for good with a text of this test's own: its error group holds none of the
            // deliveries to the crash receiver that earlier tests left in the failure store (the
            // PostgreSQL pass shares its database with every suite before it)
            receiver.answer(400);
            receiver.respondWith(arrival -> "bulk resend crash test refuses order " + arrival.messageId());
            List<String> ids = sendConcurrently(sender, "Crash", COUNT, 8);
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> admin.failures(RECEIVER).stream()
                    .filter(entry -> entry.sender().equals(sender)).count() == COUNT);
            assertThat(ReceiverLedger.of(receiver).deliveredIds(sender)).as("delivered while refusing").isEmpty();
            // what the operator sees first (on PostgreSQL too: the overview's and the groups' queries)
            JsonObject row = admin.overview("PT15M").getJsonArray("receivers").getValuesAs(JsonObject.class).stream()
                    .filter(r -> r.getString("receiver").equals(RECEIVER)).findFirst().orElseThrow();
            assertThat(row.getJsonNumber("failedNow").longValue()).isGreaterThanOrEqualTo(COUNT);
            assertThat(row.getJsonObject("topError").getString("error")).startsWith("HTTP 400 from ");
            assertThat(admin.overview("PT15M").getJsonObject("chart").getJsonArray("points").getValuesAs(JsonObject.class)
                    .stream().mapToLong(p -> p.getJsonNumber("accepted").longValue()).sum())
                    .as("deliveries accepted in the overview's chart").isGreaterThanOrEqualTo(COUNT);
            assertThat(admin.failureGroups(RECEIVER).getJsonArray("groups").getValuesAs(JsonObject.class))
                    .anySatisfy(group -> assertThat(group.getJsonNumber("count").longValue()).isGreaterThanOrEqualTo(COUNT));
            assertThat(admin.bulkPreview(RECEIVER, null).getJsonNumber("count").longValue()).isGreaterThanOrEqualTo(COUNT);
            // the overview's per-minute counts are kept on this database (a step every 20 s)
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    database.count("select count(*) from COURIER_ROLLUP where COVERED_TO is not null") == 1);
            String group = admin.failureGroups(RECEIVER).getJsonArray("groups").getValuesAs(JsonObject.class).stream()
                    .filter(g -> g.getString("error").endsWith("bulk resend crash test refuses order <id>")).findFirst()
                    .orElseThrow().getString("key");
            assertThat(admin.bulkPreview(RECEIVER, group).getJsonNumber("count").longValue()).isEqualTo(COUNT);

            receiver.answer(200);
            receiver.respondWith(null);
            receiver.delay(Duration.ofMillis(100));
            AtomicInteger firstRun = new AtomicInteger();
            ExecutorService operator = Executors.newSingleThreadExecutor();
            try {
                Future<?> run = operator.submit(() -> resendAll(group, firstRun));
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> firstRun.get() >= 500
                        && ReceiverLedger.of(receiver).deliveredIds(sender).size() >= 20);
                crash();
                run.cancel(true);
            } finally {
                operator.shutdownNow();
            }
            int deliveredAtKill = ReceiverLedger.of(receiver).deliveredIds(sender).size();
            LOG.info("killed during a bulk resend: " + firstRun.get() + " resent by the first run, " + deliveredAtKill
                    + " of " + COUNT + " delivered");
            assertThat(deliveredAtKill).as("delivered at the kill").isLessThan(COUNT);
            restart();

            AtomicInteger secondRun = new AtomicInteger();
            resendAll(group, secondRun);
            LOG.info("the same action again after the restart: " + secondRun.get() + " resent");

            // a delivery POSTed just before the kill whose commit the kill caught between prepare and
            // commit arrived, but is DELIVERED in the database only once transaction recovery committed it
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    ReceiverLedger.of(receiver).deliveredAll(sender, ids) && database.delivered(sender) == COUNT);
            long arrivals = arrivalsOf(receiver, sender);
            await().during(SETTLED).atMost(SETTLED.plusSeconds(5)).until(() -> arrivalsOf(receiver, sender) == arrivals);
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            LOG.info("kill -9 during a bulk resend: all " + COUNT + " delivered; " + ledger.repeats(sender)
                    + " repeated arrivals");
            assertThat(ledger.repeats(sender)).as("repeats (only deliveries in flight at the kill)")
                    .isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(admin.failures(RECEIVER).stream().filter(entry -> entry.sender().equals(sender))).isEmpty();
        }
    }

    private static long arrivalsOf(TestReceiver receiver, String sender) {
        return receiver.arrivals().stream().filter(arrival -> sender.equals(arrival.sender())).count();
    }

    /** Runs the bulk resend of the group to its end, counting what it resent; stops when the server is gone. */
    private Void resendAll(String group, AtomicInteger resent) {
        String after = null;
        do {
            JsonObject step = admin.bulkChunk("resend", RECEIVER, group, after);
            resent.addAndGet(step.getInt("done"));
            after = step.isNull("next") ? null : step.getString("next");
        } while (after != null && !Thread.currentThread().isInterrupted());
        return null;
    }
}
