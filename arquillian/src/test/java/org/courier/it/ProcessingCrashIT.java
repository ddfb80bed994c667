package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.courier.it.support.CourierClient.CallAnswer;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The aggregator and idempotent calls across kill -9: a kill in the middle of aggregating loses no
 * line and releases no bundle twice; an aggregate whose timeout passes while the server is down is
 * released after the restart; a stored call response is still given instead of a second call.
 */
class ProcessingCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(ProcessingCrashIT.class.getName());
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final String QUOTE_REQUEST = "<quoteRequest xmlns=\"urn:example:quotes\"/>";

    /**
     * One kill, three guarantees. Eight senders send the 10 lines of each of 6 orders in random
     * order, each line until it is acknowledged, while the server is killed; after the restart
     * every order's bundle arrives under one id, with each of its lines exactly once. Three lines
     * of a "slow" order, sent before, have a 10 s timeout that passes while the server is down:
     * their bundle is released after the restart, once. An idempotent call made before the kill
     * is answered afterwards with its stored response, not a second call.
     */
    @Test
    void aKillLosesNoLineReleasesNoBundleTwiceKeepsTimeoutsAndStoredResponses() throws Exception {
        String sender = "AGGCRASH-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger quotes = new AtomicInteger();
        List<String> orders = new ArrayList<>();
        List<String[]> lines = new ArrayList<>();
        for (int o = 0; o < 6; o++) {
            String order = AggregatorIT.newOrder();
            orders.add(order);
            for (int line = 1; line <= 10; line++) {
                lines.add(new String[] {order, String.valueOf(line)});
            }
        }
        Collections.shuffle(lines);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (TestReceiver bundles = TestReceiver.start(18096); TestReceiver responder = TestReceiver.start(18095)) {
            responder.respondWith(request -> "<quote xmlns=\"urn:example:quotes\" n=\"" + quotes.incrementAndGet() + "\"/>");
            CallAnswer quoted = courier.call(sender, "IdempotentQuote", "q-1", QUOTE_REQUEST);
            String slowOrder = AggregatorIT.newOrder();
            Instant slowFirst = Instant.now();
            for (int line = 1; line <= 3; line++) {
                assertThat(courier.send(sender, "SlowLines", AggregatorIT.lineId(slowOrder, line),
                        AggregatorIT.line(slowOrder, line)).result()).isEqualTo("ACCEPTED");
            }
            bundles.delay(Duration.ofMillis(50));
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sent = new ArrayList<>();
            for (String[] line : lines) {
                sent.add(senders.submit(() -> {
                    String id = AggregatorIT.lineId(line[0], Integer.parseInt(line[1]));
                    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                            courier.send(sender, "OrderLines", id, AggregatorIT.line(line[0], Integer.parseInt(line[1]))) != null);
                    acknowledged.add(id);
                    pace();
                }));
            }
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 20);

            crash();
            int atCrash = acknowledged.size();
            assertThat(atCrash).as("lines acknowledged when the server was killed").isLessThan(60);
            assertThat(bundlesOf(bundles, slowOrder)).as("released before its 10 s timeout").isEmpty();
            restart();
            for (Future<?> f : sent) {
                f.get();
            }
            senders.shutdown();
            assertThat(acknowledged).hasSize(60);
            CallAnswer repeat = courier.call(sender, "IdempotentQuote", "q-1", QUOTE_REQUEST);
            assertThat(repeat.replay()).isTrue();
            assertThat(repeat.payloadAttribute("n")).isEqualTo(quoted.payloadAttribute("n"));
            assertThat(responder.count("q-1")).isEqualTo(1);

            await().atMost(DEADLINE).until(() -> orders.stream().allMatch(order -> !bundlesOf(bundles, order).isEmpty()));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> bundles.delivered() == bundles.total());
            for (String order : orders) {
                List<Arrival> arrivals = bundlesOf(bundles, order);
                assertThat(arrivals).extracting(Arrival::messageId).as("ids of the bundles of %s", order).containsOnly(
                        arrivals.get(0).messageId());
                for (Arrival arrival : arrivals) {
                    assertThat(AggregatorIT.memberIds(AggregatorIT.parse(arrival.body()))).as("lines of %s", order)
                            .hasSize(10).doesNotHaveDuplicates().allMatch(id -> id.startsWith(order + "-line-"));
                }
            }
            await().atMost(DEADLINE).until(() -> !bundlesOf(bundles, slowOrder).isEmpty());
            List<Arrival> slow = bundlesOf(bundles, slowOrder);
            assertThat(slow).extracting(Arrival::messageId).containsOnly(slow.get(0).messageId());
            Element slowBundle = AggregatorIT.parse(slow.get(0).body());
            assertThat(Duration.between(slowFirst, slow.get(0).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
            assertThat(slowBundle.getAttribute("completion")).isEqualTo("timeout");
            assertThat(AggregatorIT.memberIds(slowBundle)).containsExactly(AggregatorIT.lineId(slowOrder, 1),
                    AggregatorIT.lineId(slowOrder, 2), AggregatorIT.lineId(slowOrder, 3));

            Map<String, Long> twice = bundles.arrivals().stream()
                    .collect(Collectors.groupingBy(Arrival::messageId, Collectors.counting()));
            LOG.info("kill -9 while aggregating: killed after " + atCrash + " of 60 lines, all acknowledged after the restart,"
                    + " 6 bundles of 10 delivered; "
                    + twice.values().stream().filter(n -> n > 1).count() + " bundles delivered twice under the same id"
                    + " (in flight at the kill, idempotent receiver)");
            // no bundle twice: each order's bundle under one id (above), and the same bundle again (its sender is the
            // aggregator, order-lines) only as a delivery in flight at the kill
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(bundles, "order-lines", DELIVERIES_IN_FLIGHT);
        }
    }

    private static List<Arrival> bundlesOf(TestReceiver bundles, String order) {
        return bundles.arrivals().stream().filter(a -> a.body().contains("correlation=\"" + order + "\"")).toList();
    }

    /** Load shaping, not synchronisation: spreads the 60 sends over seconds, so the kill falls among them. */
    private static void pace() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
