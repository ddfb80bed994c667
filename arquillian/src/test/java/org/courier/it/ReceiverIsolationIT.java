package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
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
 * A hanging receiver does not starve the healthy ones, black box. Every message goes to
 * {@code hangs} (idempotent, 5 s timeout) and to a healthy receiver: Exactly Once to
 * {@code healthy-a}, in order to {@code healthy-ordered}. The same load is sent twice: once with
 * every receiver answering at once, once with {@code hangs} accepting connections and never
 * answering. The second time the healthy receivers must still get all their messages within the
 * deadline, while {@code hangs} holds requests unanswered and its deliveries are deferred (before
 * receivers had a share of the delivery sessions, every session sat in {@code hangs}'s 5 s
 * timeouts and the healthy messages took many minutes); each healthy message arrives once, the
 * in-order ones in sequence; and once {@code hangs} answers again, it gets every message too.
 *
 * <p>The healthy receiver's rate in both rounds is printed, not asserted: a ratio of two rates
 * measured on a shared CI machine is a speed figure, which belongs in the benchmark (it failed
 * here at 76 % of a round that had been unusually fast, with nothing starved).
 */
@ExtendWith(ArquillianExtension.class)
class ReceiverIsolationIT {

    private static final int MESSAGES = 1_000;
    private static final int BATCH = 50;
    private static final int QUEUES = 4;
    private static final int PER_QUEUE = 25;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private final SoapSender soap = new SoapSender(URI.create("http://127.0.0.1:8080/courier/CourierService"),
            Duration.ofSeconds(30), TestUser.INTEGRATION.credentials());
    private final CourierClient courier = new CourierClient();
    private final ServerMetrics metrics = new ServerMetrics();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aHangingReceiverStarvesNoHealthyOneAndLosesNothing() throws Exception {
        try (HangingReceiver hangs = HangingReceiver.start(18102);
             TestReceiver healthy = TestReceiver.start(18103);
             TestReceiver ordered = TestReceiver.start(18104)) {
            Load allAnswer = Load.send(this, healthy, ordered);
            double answeringRate = allAnswer.healthyRate(healthy);

            hangs.hang();
            Load oneHangs = Load.send(this, healthy, ordered);
            double hangingRate = oneHangs.healthyRate(healthy);
            double deferred = metrics.value("courier_deliveries_deferred_total", "receiver", "hangs").orElse(0);
            System.out.printf("healthy-a end to end: %.0f/s with every receiver answering, %.0f/s with hangs not"
                    + " answering (%.0f %%); hangs held %d requests unanswered, its deliveries were deferred %.0f times%n",
                    answeringRate, hangingRate, 100 * hangingRate / answeringRate, hangs.waiting(), deferred);
            assertThat(deferred).as("deferrals of hangs's deliveries (metric)").isPositive();
            assertThat(hangs.waiting()).as("requests hangs held unanswered").isPositive();
            oneHangs.assertHealthyGotEachOnceInOrder(healthy, ordered);
            assertThat(hangs.answered(oneHangs.sender)).as("hangs answered nothing while hanging").isEmpty();

            hangs.answer();
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                    .until(() -> hangs.answered(oneHangs.sender).containsAll(oneHangs.all()));
            assertThat(hangs.answered(allAnswer.sender)).containsAll(allAnswer.all());
            allAnswer.assertHealthyGotEachOnceInOrder(healthy, ordered);
        }
    }

    /** One round of load from a sender of its own: Exactly Once batches and in-order queues, sent at once. */
    private record Load(String sender, Instant start, List<String> exactlyOnce, Map<String, List<String>> queues) {

        static Load send(ReceiverIsolationIT test, TestReceiver healthy, TestReceiver ordered) throws Exception {
            String sender = "ISO" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            Map<String, List<String>> queues = new ConcurrentHashMap<>();
            for (int q = 0; q < QUEUES; q++) {
                String queueId = newQueueId();
                queues.put(queueId, ids(queueId, PER_QUEUE));
            }
            List<String> exactlyOnce = new ArrayList<>();
            Instant start = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(QUEUES);
            try {
                List<Future<?>> inOrder = new ArrayList<>();
                queues.forEach((queueId, ids) -> inOrder.add(pool.submit(
                        () -> test.courier.sendInOrderAccepted(sender, "IsolationInOrder", queueId, ids, DEADLINE))));
                for (int batch = 0; batch < MESSAGES / BATCH; batch++) {
                    List<Message> messages = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        String id = sender + "-" + (batch * BATCH + i);
                        exactlyOnce.add(id);
                        messages.add(new Message(sender, "Isolation", id, "ExactlyOnce", null, "<order n=\"" + id + "\"/>"));
                    }
                    assertThat(test.soap.sendBatch(messages)).extracting(Outcome::kind).containsOnly(Outcome.Kind.ACCEPTED);
                }
                for (Future<?> queue : inOrder) {
                    queue.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Load load = new Load(sender, start, exactlyOnce, queues);
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> load.healthyHasAll(healthy, ordered));
            return load;
        }

        boolean healthyHasAll(TestReceiver healthy, TestReceiver ordered) {
            return ReceiverLedger.of(healthy).deliveredAll(sender, exactlyOnce)
                    && ReceiverLedger.of(ordered).deliveredAll(sender, queues.values().stream().flatMap(List::stream).toList());
        }

        /** healthy-a's messages per second, from the first send to the arrival of the last one. */
        double healthyRate(TestReceiver healthy) {
            Instant last = ReceiverLedger.of(healthy).firstDeliveries().stream().filter(a -> sender.equals(a.sender()))
                    .map(TestReceiver.Arrival::at).max(Instant::compareTo).orElseThrow();
            return exactlyOnce.size() * 1000.0 / Duration.between(start, last).toMillis();
        }

        void assertHealthyGotEachOnceInOrder(TestReceiver healthy, TestReceiver ordered) {
            ReceiverLedger a = ReceiverLedger.of(healthy);
            assertThat(a.deliveredIds(sender)).containsExactlyInAnyOrderElementsOf(exactlyOnce);
            assertThat(a.repeats(sender)).as("repeated deliveries to healthy-a").isZero();
            ReceiverLedger b = ReceiverLedger.of(ordered);
            queues.forEach((queueId, ids) -> assertThat(b.messageIds(sender, queueId))
                    .as("arrival order of queue %s at healthy-ordered", queueId).containsExactlyElementsOf(ids));
            assertThat(b.repeats(sender)).as("repeated deliveries to healthy-ordered").isZero();
        }

        List<String> all() {
            List<String> all = new ArrayList<>(exactlyOnce);
            queues.values().forEach(all::addAll);
            return all;
        }
    }

    /**
     * A receiver that, once told to {@link #hang()}, accepts every connection and reads every
     * request but answers none until told to {@link #answer()}; then it answers all, the held ones
     * too, with 200. It records the message ids it answered, per sender: what it has (a held
     * request Courier gave up on meanwhile arrives again, and is answered again).
     */
    private static final class HangingReceiver implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Map<String, Set<String>> answered = new ConcurrentHashMap<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final AtomicInteger waited = new AtomicInteger();

        private HangingReceiver(HttpServer server) {
            this.server = server;
        }

        static HangingReceiver start(int port) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            HangingReceiver receiver = new HangingReceiver(server);
            server.setExecutor(receiver.threads);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        }

        void hang() {
            gate = new CountDownLatch(1);
        }

        void answer() {
            gate.countDown();
        }

        /** How many requests it has held unanswered. */
        int waiting() {
            return waited.get();
        }

        Set<String> answered(String sender) {
            return Set.copyOf(answered.getOrDefault(sender, Set.of()));
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                CountDownLatch wait = gate;
                if (wait.getCount() > 0) {
                    waited.incrementAndGet();
                    wait.await();
                }
                exchange.sendResponseHeaders(200, -1);
                answered.computeIfAbsent(exchange.getRequestHeaders().getFirst("Courier-Sender"),
                        sender -> ConcurrentHashMap.newKeySet()).add(exchange.getRequestHeaders().getFirst("Courier-Message-Id"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException gone) {
                // Courier gave up on this request (its timeout): it sends it again
            }
        }

        @Override
        public void close() {
            answer();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
