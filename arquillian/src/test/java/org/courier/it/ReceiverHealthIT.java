package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.ServerHealth;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Receiver health, black box, the measurement made shorter: a sender sends one Exactly
 * Once and one in-order message (two queue ids, alternating) every {@value #PACE_MILLIS} ms while
 * the receiver answers 500 for {@link #OUTAGE}. Courier must stop hammering it (after 3 failed
 * attempts in a row it is DOWN: its deliveries wait, one is sent every 2 s as a probe), say so
 * (metric, readiness, each waiting message's status), and once the receiver answers again bring
 * everything within {@link #DRAIN_BOUND}, each message once, each queue in its order. The
 * test server's receivers {@code sickly} (idempotent) and {@code sickly-strict} (not) are DOWN
 * after 3 failed attempts in a row; the server probes every 2 s (arquillian.xml).
 */
@ExtendWith(ArquillianExtension.class)
class ReceiverHealthIT {

    private static final long PACE_MILLIS = 200;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /**
     * The drain after the outage: issue 27's target, 60 s. The first probe comes within 2 s; then
     * the backlog goes at the receiver's share of this small test server's 4 delivery sessions (2),
     * each in-order queue one message at a time behind the Exactly Once backlog: 302 messages took
     * 35 s in CI (the benchmark, with the default 16 sessions, drains 1 144 in 28 s).
     */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(60);
    /**
     * Requests the receiver may get during the outage: 3 failures make it DOWN, a few more were under
     * way (the test server's 4 delivery sessions), then a probe every 2 s.
     */
    private static final long MOST_REQUESTS_WHILE_DOWN = 3 + 4 + OUTAGE.toSeconds() / 2 + 5;

    private final CourierClient courier = new CourierClient();
    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerHealth health = new ServerHealth();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aReceiverThatIsDownIsLeftAloneAndGetsEverythingPromptlyWhenBack() throws Exception {
        try (TestReceiver sickly = TestReceiver.start(18110)) {
            sickly.answer(500);
            Load load = Load.start(courier, "Sickly");
            Instant outageEnds = Instant.now().plus(OUTAGE);
            await().atMost(OUTAGE).pollInterval(Duration.ofMillis(250))
                    .until(() -> metrics.value("courier_receiver_state", "receiver", "sickly").orElse(0) == 2);
            int requestsWhenDown = sickly.total();
            await().atMost(OUTAGE.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !Instant.now().isBefore(outageEnds));
            load.stop();
            int requestsInOutage = sickly.total();
            System.out.printf("sickly: DOWN after %d requests; %d requests in a %d s outage with %d messages sent%n",
                    requestsWhenDown, requestsInOutage, OUTAGE.toSeconds(), load.sent());
            assertThat(requestsInOutage).as("requests to the receiver while it was down").isLessThanOrEqualTo(
                    (int) MOST_REQUESTS_WHILE_DOWN);
            assertThat(load.sent()).as("messages sent during the outage").isGreaterThan(200);

            String waitingId = load.exactlyOnce().get(load.exactlyOnce().size() - 1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                var delivery = courier.status(load.sender, waitingId).deliveries().get(0);
                assertThat(delivery.state()).isEqualTo("FAILED");
                assertThat(delivery.lastError()).contains("receiver \"sickly\" is down since").contains("HTTP 500");
            });
            assertThat(metrics.value("courier_receiver_waiting", "receiver", "sickly").orElse(0))
                    .as("waiting deliveries (metric)").isPositive();
            assertThat(health.readiness().check("courier").orElseThrow().text("receiversDown"))
                    .as("readiness data").contains("sickly (DOWN since");

            sickly.answer(200);
            Instant back = Instant.now();
            await().atMost(DRAIN_BOUND.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ReceiverLedger.of(sickly).deliveredAll(load.sender, load.all()));
            Duration drain = Duration.between(back, Instant.now());
            System.out.printf("sickly: %d messages delivered %d ms after the receiver answered again%n",
                    load.all().size(), drain.toMillis());
            assertThat(drain).as("drain after the outage").isLessThanOrEqualTo(DRAIN_BOUND);
            load.assertEachOnceInOrder(sickly);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    metrics.value("courier_receiver_state", "receiver", "sickly").orElse(-1) == 0
                            && metrics.value("courier_receiver_waiting", "receiver", "sickly").orElse(-1) == 0);
        }
    }

    @Test
    void aReceiverThatFlapsLosesNothingAndGetsNothingTwice() throws Exception {
        try (TestReceiver strict = TestReceiver.start(18111)) {
            Load load = Load.start(courier, "SicklyStrict");
            Instant end = Instant.now().plusSeconds(24);
            boolean up = true;
            while (Instant.now().isBefore(end)) {
                strict.answer(up ? 200 : 503);
                up = !up;
                Instant flip = Instant.now().plusMillis(up ? 1500 : 2500);
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !Instant.now().isBefore(flip));
            }
            load.stop();
            strict.answer(200);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ReceiverLedger.of(strict).deliveredAll(load.sender, load.all()));
            System.out.printf("sickly-strict: %d messages through a flapping receiver, %d requests%n",
                    load.all().size(), strict.total());
            load.assertEachOnceInOrder(strict);
            assertThat(strict.arrivals()).as("a non-idempotent receiver answering 503 did not process: no doubt")
                    .noneMatch(TestReceiver.Arrival::possibleDuplicate);
        }
    }

    /** One sender's load: an Exactly Once message and an in-order one (two queues, alternating) every pace. */
    private static final class Load {

        final String sender = "HEALTH" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        private final List<String> exactlyOnce = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, List<String>> queues = new LinkedHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool = Executors.newSingleThreadExecutor();
        private Future<?> sending;

        static Load start(CourierClient courier, String interfaceName) {
            Load load = new Load();
            load.queues.put(newQueueId(), Collections.synchronizedList(new ArrayList<>()));
            load.queues.put(newQueueId(), Collections.synchronizedList(new ArrayList<>()));
            load.sending = load.pool.submit(() -> load.send(courier, interfaceName));
            return load;
        }

        private Void send(CourierClient courier, String interfaceName) throws InterruptedException {
            List<String> queueIds = new ArrayList<>(queues.keySet());
            for (int n = 0; running.get(); n++) {
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS);
                String id = sender + "-" + n;
                assertThat(courier.send(sender, interfaceName, id, "<order n=\"" + n + "\"/>").result()).isEqualTo("ACCEPTED");
                exactlyOnce.add(id);
                String queueId = queueIds.get(n % 2);
                String inOrderId = queueId + "-" + n;
                assertThat(courier.sendInOrder(sender, interfaceName, inOrderId, queueId, order(queueId, inOrderId))
                        .result()).isEqualTo("ACCEPTED");
                queues.get(queueId).add(inOrderId);
                // pacing the load, not synchronising: the sender's rate
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            }
            return null;
        }

        void stop() throws Exception {
            running.set(false);
            sending.get(30, TimeUnit.SECONDS);
            pool.shutdownNow();
        }

        int sent() {
            return all().size();
        }

        List<String> exactlyOnce() {
            return List.copyOf(exactlyOnce);
        }

        List<String> all() {
            List<String> all = new ArrayList<>(exactlyOnce);
            queues.values().forEach(all::addAll);
            return all;
        }

        void assertEachOnceInOrder(TestReceiver receiver) {
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            for (String id : all()) {
                assertThat(ledger.deliveries(sender, id)).as("deliveries of %s", id).isEqualTo(1);
            }
            queues.forEach((queueId, ids) -> assertThat(ledger.messageIds(sender, queueId)).as("order of queue %s", queueId)
                    .containsExactlyElementsOf(ids));
        }
    }
}
