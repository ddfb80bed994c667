package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * The aggregator (routing: {@code OrderLines} go to aggregator {@code order-lines}, 10 lines of
 * one order make a bundle; {@code SlowLines} to {@code slow-lines}, released 10 s after the
 * first line; bundles are interface {@code OrderBundle}, delivered to {@code bundles}).
 */
@ExtendWith(ArquillianExtension.class)
class AggregatorIT {

    static final String XI_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final AdminQueries queries = new AdminQueries();
    private TestReceiver bundles;
    private String sender;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        bundles = TestReceiver.start(18096);
        sender = "SHOP-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stopReceiver() {
        bundles.close();
    }

    @Test
    void tenLinesOfAnOrderSomeResentMakeOneBundleWithEachLineOnce() {
        String order = newOrder();
        for (int line = 1; line <= 10; line++) {
            assertThat(courier.send(sender, "OrderLines", lineId(order, line), line(order, line)).result()).isEqualTo("ACCEPTED");
            if (line % 3 == 0) {
                assertThat(courier.send(sender, "OrderLines", lineId(order, line), line(order, line)).result())
                        .isEqualTo("DUPLICATE");
            }
        }
        assertThat(courier.send(sender, "OrderLines", lineId(order, 1), line(order, 1)).result()).isEqualTo("DUPLICATE");

        Arrival arrival = awaitBundles(order, 1).get(0);
        Element bundle = parse(arrival.body());
        assertThat(arrival.sender()).isEqualTo("order-lines");
        assertThat(arrival.interfaceName()).isEqualTo("OrderBundle");
        assertThat(arrival.messageId()).matches(XI_ID);
        assertThat(bundle.getAttribute("completion")).isEqualTo("count");
        assertThat(bundle.getAttribute("number")).isEqualTo("1");
        assertThat(memberIds(bundle)).containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(i -> lineId(order, i)).toList());
        assertThat(bundle.getElementsByTagNameNS("urn:example:orders", "line").getLength()).isEqualTo(10);

        // the aggregate's id is mapped from (aggregator, correlation value, number), for operators both ways
        assertThat(admin.idMappings("order-lines", order + "#1")).singleElement()
                .satisfies(m -> assertThat(m.targetId()).isEqualTo(arrival.messageId()));
        await().atMost(DEADLINE).until(() -> courier.status("order-lines", arrival.messageId()).delivery("bundles")
                .map(d -> d.state().equals("DELIVERED")).orElse(false));
        // a line has no delivery of its own: it travels in the bundle, whose id it is mapped to; the
        // bundle's detail names its lines
        assertThat(courier.status(sender, lineId(order, 1)).deliveries()).isEmpty();
        assertThat(admin.idMappings(sender, lineId(order, 7))).singleElement().satisfies(m -> {
            assertThat(m.context()).isEqualTo("aggregate:order-lines");
            assertThat(m.targetId()).isEqualTo(arrival.messageId());
        });
        assertThat(admin.idMappingsOfTarget(arrival.messageId())).hasSize(11); // the bundle's own and its 10 lines'
        assertThat(queries.detail("order-lines", arrival.messageId()).json().getJsonArray("members")
                .getValuesAs(jakarta.json.JsonString::getString))
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 10).mapToObj(i -> sender + "/" + lineId(order, i))
                        .toList());
        // an eleventh line starts the order's next bundle, with an id of its own (number 2)
        for (int line = 11; line <= 20; line++) {
            courier.send(sender, "OrderLines", lineId(order, line), line(order, line));
        }
        Arrival second = awaitBundles(order, 2).get(1);
        assertThat(parse(second.body()).getAttribute("number")).isEqualTo("2");
        assertThat(memberIds(parse(second.body()))).containsExactlyElementsOf(
                IntStream.rangeClosed(11, 20).mapToObj(i -> lineId(order, i)).toList());
        assertThat(second.messageId()).matches(XI_ID).isNotEqualTo(arrival.messageId());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> bundlesOf(order).size() == 2);
    }

    @Test
    void linesOfThreeOrdersSentConcurrentlyAndTwiceMakeThreeBundles() throws Exception {
        List<String> orders = List.of(newOrder(), newOrder(), newOrder());
        List<String[]> lines = new ArrayList<>();
        for (String order : orders) {
            for (int line = 1; line <= 10; line++) {
                lines.add(new String[] {order, String.valueOf(line)});
                lines.add(new String[] {order, String.valueOf(line)}); // each line twice: a sender's retry
            }
        }
        Collections.shuffle(lines);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (String[] l : lines) {
                sent.add(pool.submit(() -> sendUntilAcknowledged(l[0], Integer.parseInt(l[1]))));
            }
            long accepted = 0;
            for (Future<String> f : sent) {
                accepted += f.get().equals("ACCEPTED") ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(30);
        } finally {
            pool.shutdown();
        }

        for (String order : orders) {
            Element bundle = parse(awaitBundles(order, 1).get(0).body());
            assertThat(memberIds(bundle)).as("lines of %s", order).hasSize(10).doesNotHaveDuplicates()
                    .allMatch(id -> id.startsWith(order + "-line-"));
        }
    }

    @Test
    void anAggregateIsReleasedWhenItsTimeoutPasses() {
        String order = newOrder();
        Instant first = Instant.now();
        for (int line = 1; line <= 3; line++) {
            courier.send(sender, "SlowLines", lineId(order, line), line(order, line));
        }
        assertThat(bundlesOf(order)).isEmpty();

        Arrival arrival = awaitBundles(order, 1).get(0);
        Element bundle = parse(arrival.body());
        assertThat(Duration.between(first, arrival.at())).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
        assertThat(arrival.sender()).isEqualTo("slow-lines");
        assertThat(bundle.getAttribute("completion")).isEqualTo("timeout");
        assertThat(memberIds(bundle)).containsExactly(lineId(order, 1), lineId(order, 2), lineId(order, 3));
    }

    @Test
    void aLineWithoutTheCorrelationValueIsRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> courier.send(sender, "OrderLines", "no-order", "<line xmlns=\"urn:example:orders\"/>"))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("INVALID_REQUEST");
                    assertThat(fault.reason()).contains("order-lines").contains("/o:line/o:order");
                });
        assertThatThrownBy(() -> courier.status(sender, "no-order"))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> assertThat(fault.code()).isEqualTo("UNKNOWN_MESSAGE"));
    }

    private String sendUntilAcknowledged(String order, int line) {
        return await().atMost(DEADLINE).ignoreExceptionsInstanceOf(CourierFaultException.class)
                .until(() -> courier.send(sender, "OrderLines", lineId(order, line), line(order, line)).result(), r -> true);
    }

    private List<Arrival> awaitBundles(String order, int count) {
        await().atMost(DEADLINE).until(() -> bundlesOf(order).size() >= count);
        return bundlesOf(order);
    }

    private List<Arrival> bundlesOf(String order) {
        return bundles.arrivals().stream().filter(a -> a.body().contains("correlation=\"" + order + "\"")).toList();
    }

    static List<String> memberIds(Element bundle) {
        List<String> ids = new ArrayList<>();
        var members = bundle.getElementsByTagNameNS("urn:courier:aggregate:1", "member");
        for (int i = 0; i < members.getLength(); i++) {
            ids.add(((Element) members.item(i)).getAttribute("messageId"));
        }
        return ids;
    }

    static Element parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    static String newOrder() {
        return "O" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String lineId(String order, int line) {
        return order + "-line-" + line;
    }

    static String line(String order, int line) {
        return "<line xmlns=\"urn:example:orders\"><order>" + order + "</order><no>" + line + "</no></line>";
    }
}
