package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.courier.it.support.WildFlyCli;
import org.courier.it.support.WildFlyProcess;
import org.courier.loader.SoapSender;
import org.courier.loader.SoapSender.Message;
import org.courier.loader.SoapSender.Outcome;
import org.courier.loader.SoapSender.Outcome.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries settled several a transaction — the opt-in that drains a backlog about twice as fast
 * ({@code courier.delivery.batch=16}, {@code courier.delivery.in-flight=64}) — across a kill -9 in
 * the middle of a drain: every acknowledged message arrives; at the idempotent receiver
 * ({@code crash}) only deliveries in flight at the kill arrive twice, at most the in-flight bound;
 * at the non-idempotent one ({@code fragile-status}, policy HOLD with a status URL) nothing
 * arrives twice: the attempts the kill left open are settled by asking it.
 *
 * Before the kill the server counts deliveries taken into a transaction after its first
 * ({@code courier_deliveries_batched_total}), which stays 0 when batching is off or broken.
 *
 * <p>The settings are system properties of the crash server's configuration, added for this test
 * and removed after it (the other suites run with the defaults: off).
 */
class BatchedDeliveryCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(BatchedDeliveryCrashIT.class.getName());
    private static final int IN_FLIGHT = 64;
    private static final int FRAGILE_STATUS_PORT = 18090;
    private static final int BATCHES = 32;
    private static final int BATCH = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    private final SoapSender soap = new SoapSender(URI.create("http://127.0.0.1:8080/courier/CourierService"),
            Duration.ofSeconds(60), TestUser.INTEGRATION.credentials());

    @BeforeEach
    void batchDeliveries() throws Exception {
        freshServerAfterThisTest(); // the next test runs with the defaults again
        cli("/system-property=courier.delivery.batch:add(value=16)");
        cli("/system-property=courier.delivery.in-flight:add(value=" + IN_FLIGHT + ")");
        redeploy(); // the settings are read when Courier starts
    }

    @AfterEach
    void defaultsAgain() throws Exception {
        if (!WildFlyProcess.isRunning()) {
            restart();
        }
        cli("/system-property=courier.delivery.batch:remove");
        cli("/system-property=courier.delivery.in-flight:remove");
    }

    @Test
    void aDrainKilledMidwayLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
        String sender = "BATCH-CRASH-" + hex(8);
        try (TestReceiver idempotent = TestReceiver.start(RECEIVER_PORT);
             TestReceiver fragile = TestReceiver.start(FRAGILE_STATUS_PORT)) {
            // 20 ms a request: the drain (1 600 messages, 16 sessions) takes seconds, and the kill comes in it
            idempotent.delay(Duration.ofMillis(20));
            fragile.delay(Duration.ofMillis(20));
            List<String> toIdempotent = new ArrayList<>();
            List<String> toFragile = new ArrayList<>();
            // read before sending: on a slow machine the drain is well under way before the last batch is answered
            double batchedBefore = batched();
            sendBacklog(sender, toIdempotent, toFragile);
            await().atMost(DEADLINE).until(() -> idempotent.total() + fragile.total() >= 300);
            assertThat(batched()).as("deliveries taken into a transaction after its first").isGreaterThan(batchedBefore);

            crash();
            int arrivedAtKill = idempotent.total() + fragile.total();
            restart();

            await().atMost(DEADLINE).until(() -> database.delivered(sender) == toIdempotent.size() + toFragile.size());
            assertThat(arrivedAtKill).as("requests before the kill").isLessThan(toIdempotent.size() + toFragile.size());
            assertThat(ReceiverLedger.of(idempotent).deliveredAll(sender, toIdempotent)).isTrue();
            assertThat(ReceiverLedger.of(fragile).deliveredAll(sender, toFragile)).isTrue();
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(idempotent, sender, IN_FLIGHT);
            awaitArrivalsSettled(fragile);
            assertThat(toFragile).allSatisfy(id -> assertThat(fragile.attempts(id))
                    .as("requests to the non-idempotent receiver for %s", id).isEqualTo(1));
            LOG.info("kill -9 in a batched drain after " + arrivedAtKill + " requests: all "
                    + (toIdempotent.size() + toFragile.size()) + " delivered; repeated at the idempotent receiver: "
                    + ReceiverLedger.of(idempotent).repeats(sender) + "; status checks that settled open attempts: "
                    + fragile.statusChecks());
        }
    }

    /** Batches of 50 from four threads at once: accepted far faster than delivered, they wait in the queue. */
    private void sendBacklog(String sender, List<String> toIdempotent, List<String> toFragile) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Outcome>>> answers = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                String interfaceName = b % 2 == 0 ? "Crash" : "FragileStatus";
                String prefix = "b" + b;
                List<Message> batch = IntStream.rangeClosed(1, BATCH).mapToObj(i -> {
                    String id = prefix + "-" + i + "-" + hex(6);
                    return new Message(sender, interfaceName, id, "ExactlyOnce", null, payloadOf(id));
                }).toList();
                (b % 2 == 0 ? toIdempotent : toFragile).addAll(batch.stream().map(Message::messageId).toList());
                answers.add(senders.submit(() -> soap.sendBatch(batch)));
            }
            for (Future<List<Outcome>> answer : answers) {
                assertThat(answer.get()).extracting(Outcome::kind).containsOnly(Kind.ACCEPTED).hasSize(BATCH);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    private static double batched() {
        return new ServerMetrics().value("courier_deliveries_batched_total").orElse(0);
    }

    /** Runs one command of WildFly's CLI against the running server (local authentication). */
    private static void cli(String command) {
        WildFlyCli.run(WildFlyCli.DEFAULT_PORT, command);
    }
}
