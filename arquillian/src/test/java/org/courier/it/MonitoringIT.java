package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.order;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.LaneView;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ServerHealth;
import org.courier.it.support.ServerHealth.Check;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.ModelType;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What operators see of Courier, black box: its counters in the Prometheus scrape match what
 * the test sent, delivered and had refused; its gauges match the admin API; its readiness
 * check reports database, JMS and a blocked in-order queue; the admin API's OpenAPI document is
 * served; its JMS queues, batch jobs and timers are in WildFly's management model (what the
 * console shows).
 *
 * <p>Receivers {@code watched} and {@code watched-refusing} (routes {@code Watched},
 * {@code WatchedRefused}) are used by this test only, both served by one test receiver on
 * 18081. Counters are compared as differences, gauges (read from the database, cached for up to
 * 5 s) with the admin API's view.
 */
@ExtendWith(ArquillianExtension.class)
class MonitoringIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String WATCHED = "watched";
    private static final String REFUSING = "watched-refusing";
    private static final String WATCHED_INTERFACE = "Watched";
    private static final String REFUSED_INTERFACE = "WatchedRefused";
    private static final String CHECK = "courier";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerHealth health = new ServerHealth();

    @ArquillianResource
    private ManagementClient management;

    private TestReceiver receiver;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        receiver = TestReceiver.start(18081);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void countersCountWhatWasAcceptedAnsweredAsDuplicateDeliveredAndRefused() {
        String sender = "MON-" + hex(8);
        Map<String, Double> before = counters();
        List<String> accepted = IntStream.rangeClosed(1, 3).mapToObj(i -> "ok-" + i).toList();
        List<String> refused = List.of("refused-1", "refused-2");
        refused.forEach(id -> receiver.answer(id, 400));

        accepted.forEach(id -> assertThat(courier.send(sender, WATCHED_INTERFACE, id, order("q", id)).result())
                .isEqualTo("ACCEPTED"));
        accepted.subList(0, 2).forEach(id -> assertThat(courier.send(sender, WATCHED_INTERFACE, id, order("q", id)).result())
                .isEqualTo("DUPLICATE"));
        refused.forEach(id -> courier.send(sender, REFUSED_INTERFACE, id, order("q", id)));
        // a batch with a message accepted before rolls back and is stored one by one: its rolled back
        // receipt of the two new messages must not count
        HttpResponse<String> batch = courier.post(batchEnvelope(sender, WATCHED_INTERFACE, "batch-1", accepted.get(2), "batch-2"),
                CourierClient.NAMESPACE + "/sendBatch");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(differences(before)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "accepted " + WATCHED_INTERFACE, 5.0,
                "accepted " + REFUSED_INTERFACE, 2.0,
                "duplicates " + WATCHED_INTERFACE, 3.0,
                "duplicates " + REFUSED_INTERFACE, 0.0,
                "delivered " + WATCHED, 5.0,
                "delivered " + REFUSING, 0.0,
                "attempts failed " + WATCHED, 0.0,
                "attempts failed " + REFUSING, 2.0,
                "failed " + WATCHED, 0.0,
                "failed " + REFUSING, 2.0)));
        assertThat(receiver.arrivals()).filteredOn(arrival -> sender.equals(arrival.sender()) && arrival.answered2xx())
                .hasSize(5);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(gauge("courier_failure_store_size", REFUSING))
                .isEqualTo(admin.failures(REFUSING).size()));
    }

    @Test
    void gaugesAndReadinessFollowABlockedQueueAndARetriedDelivery() {
        String sender = "MON-" + hex(8);
        String queueId = newQueueId();
        Check ready = courierCheck();
        assertThat(ready.status()).isEqualTo("UP");
        assertThat(ready.text("database")).isEqualTo("UP");
        assertThat(ready.text("jms")).isEqualTo("UP");
        assertThat(ready.number("blockedQueues")).isPresent();
        // recorded beside the node's heartbeat: within one heartbeat (5 s) of the deployment
        String version = admin.configuration().getString("version");
        await().atMost(DEADLINE).until(() -> courierCheck().text("configuration"), version::equals);

        receiver.answer("head", 400);
        receiver.answer("retried", 503);
        courier.sendInOrder(sender, REFUSED_INTERFACE, "head", queueId, order(queueId, "head"));
        courier.sendInOrder(sender, REFUSED_INTERFACE, "next", queueId, order(queueId, "next"));
        courier.send(sender, WATCHED_INTERFACE, "retried", order(queueId, "retried"));

        await().atMost(DEADLINE).untilAsserted(() -> {
            LaneView lane = admin.queue(sender, queueId).lane(REFUSING).orElseThrow();
            assertThat(lane.head().state()).isEqualTo("ERROR");
            assertThat(gauge("courier_lanes_blocked", REFUSING)).isEqualTo(1);
            assertThat(gauge("courier_deliveries_held", REFUSING)).isEqualTo(lane.held()).isEqualTo(1);
            assertThat(gauge("courier_failure_store_size", REFUSING)).isEqualTo(admin.failures(REFUSING).size());
            assertThat(gauge("courier_deliveries_pending", WATCHED)).isEqualTo(1);
            assertThat(courier.status(sender, "retried").delivery(WATCHED).orElseThrow().state()).isEqualTo("PENDING");
        });
        long blocked = await().atMost(DEADLINE).until(() -> courierCheck().number("blockedQueues").orElse(0L), n -> n >= 1);
        assertThat(courierCheck().status()).as("a blocked queue does not take the node out of service").isEqualTo("UP");

        admin.cancelHead(sender, queueId, REFUSING);
        receiver.clearAnswer("retried");

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(admin.queue(sender, queueId).lane(REFUSING).orElseThrow().state()).isEqualTo("IDLE");
            assertThat(gauge("courier_lanes_blocked", REFUSING)).isZero();
            assertThat(gauge("courier_deliveries_held", REFUSING)).isZero();
            assertThat(gauge("courier_failure_store_size", REFUSING)).isEqualTo(admin.failures(REFUSING).size());
            assertThat(gauge("courier_deliveries_pending", WATCHED)).isZero();
            assertThat(courierCheck().number("blockedQueues")).hasValueSatisfying(n -> assertThat(n).isLessThan(blocked));
        });
    }

    @Test
    void theAdminApiIsDescribedByAnOpenApiDocument() throws Exception {
        HttpRequest request = TestUser.INTEGRATION.authorize(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/openapi?format=JSON")))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject document;
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            document = reader.readObject();
        }
        assertThat(document.getString("openapi")).startsWith("3.");
        assertThat(document.getJsonObject("info").getString("title")).isEqualTo("Courier admin API");
        assertThat(document.getJsonObject("paths").keySet())
                .contains("/courier/api/queue", "/courier/api/queue/resend-head", "/courier/api/failures");
        assertThat(document.getJsonObject("paths").getJsonObject("/courier/api/queue/resend-head").keySet()).contains("post");
    }

    /**
     * The Grafana dashboard shipped in the repository (server/grafana/courier-dashboard.json) reads
     * only metrics the server exports: a renamed meter would leave a panel empty without a word.
     */
    @Test
    void everyMetricTheGrafanaDashboardReadsIsExported() throws Exception {
        Path file = Path.of(System.getProperty("basedir", "."), "..", "server", "grafana", "courier-dashboard.json");
        JsonObject dashboard;
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(file))) {
            dashboard = reader.readObject();
        }
        Set<String> read = new TreeSet<>();
        for (JsonObject panel : dashboard.getJsonArray("panels").getValuesAs(JsonObject.class)) {
            for (JsonObject target : panel.getJsonArray("targets").getValuesAs(JsonObject.class)) {
                Matcher metric = Pattern.compile("courier_[a-z_]+").matcher(target.getString("expr"));
                while (metric.find()) {
                    read.add(metric.group());
                }
            }
        }
        assertThat(read).as("metrics the dashboard reads").hasSizeGreaterThanOrEqualTo(10);

        String exported = metrics.scrape();

        assertThat(read).allSatisfy(name -> assertThat(exported).as("the server exports %s", name)
                .containsPattern("(?m)^" + name + "\\{"));
    }

    @Test
    void queuesJobsAndTimersAreInTheManagementModel() throws Exception {
        ModelNode queue = execute("/subsystem=messaging-activemq/server=default/jms-queue=CourierDelivery",
                "read-attribute", "name", "message-count");
        // the operation succeeded (execute checks the outcome): the queue is in the model; its count is a number
        assertThat(queue.getType()).as("message-count of CourierDelivery: %s", queue).isIn(ModelType.LONG, ModelType.INT);
        ModelNode dlq = execute("/subsystem=messaging-activemq/server=default/jms-queue=CourierDeliveryDLQ",
                "read-attribute", "name", "message-count");
        assertThat(dlq.getType()).as("message-count of CourierDeliveryDLQ: %s", dlq).isIn(ModelType.LONG, ModelType.INT);

        ModelNode batch = execute("/deployment=courier.ear/subdeployment=courier-batch-jobs.jar/subsystem=batch-jberet",
                "read-resource", "include-runtime", "true");
        assertThat(batch.get("job").keys()).contains("courier-resend", "courier-purge");

        assertThat(timerInfos("courier-batch-jobs.jar", "ResendScheduler")).containsExactly("courier-resend");
        assertThat(timerInfos("courier-batch-jobs.jar", "PurgeScheduler")).containsExactly("courier-purge");
        assertThat(timerInfos("courier-ejb.jar", "AggregationTimer")).containsExactly("courier-aggregation-timeouts");
    }

    /** The {@code info} of each timer of a singleton bean, as the console lists them. */
    private List<String> timerInfos(String subdeployment, String bean) throws Exception {
        ModelNode timers = execute("/deployment=courier.ear/subdeployment=" + subdeployment + "/subsystem=ejb3/singleton-bean="
                + bean + "/service=timer-service", "read-resource", "include-runtime", "true", "recursive", "true").get("timer");
        return timers.keys().stream().map(id -> timers.get(id).get("info").asString()).toList();
    }

    // --- reading -------------------------------------------------------------------------

    /** Courier's counters of the two test receivers and their interfaces, by "what subject". */
    private Map<String, Double> counters() {
        String scrape = metrics.scrape();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String iface : List.of(WATCHED_INTERFACE, REFUSED_INTERFACE)) {
            values.put("accepted " + iface, sample(scrape, "courier_messages_accepted_total", "interface", iface));
            values.put("duplicates " + iface, sample(scrape, "courier_messages_duplicates_total", "interface", iface));
        }
        for (String name : List.of(WATCHED, REFUSING)) {
            values.put("delivered " + name, sample(scrape, "courier_deliveries_delivered_total", "receiver", name));
            values.put("attempts failed " + name, sample(scrape, "courier_delivery_attempts_failed_total", "receiver", name));
            values.put("failed " + name, sample(scrape, "courier_deliveries_failed_total", "receiver", name));
        }
        return values;
    }

    private Map<String, Double> differences(Map<String, Double> before) {
        Map<String, Double> after = counters();
        Map<String, Double> differences = new LinkedHashMap<>();
        after.forEach((key, value) -> differences.put(key, value - before.get(key)));
        return differences;
    }

    /** The value of the sample {@code name} with {@code label="value"} in a Prometheus scrape. */
    private static double sample(String scrape, String name, String label, String value) {
        Pattern line = Pattern.compile("^" + name + "\\{[^}]*" + label + "=\"" + Pattern.quote(value) + "\"[^}]*}\\s+(\\S+)",
                Pattern.MULTILINE);
        Matcher sample = line.matcher(scrape);
        if (!sample.find()) {
            throw new AssertionError("no sample " + name + "{" + label + "=\"" + value + "\"} in the scrape");
        }
        return Double.parseDouble(sample.group(1));
    }

    private long gauge(String name, String receiverName) {
        double value = metrics.value(name, "receiver", receiverName)
                .orElseThrow(() -> new AssertionError("no gauge " + name + " of " + receiverName));
        return Math.round(value);
    }

    private Check courierCheck() {
        return health.readiness().check(CHECK).orElseThrow(() -> new AssertionError("no readiness check " + CHECK));
    }

    /** Runs an operation of the management model (what the console reads); {@code parameters}: name, value, ... */
    private ModelNode execute(String address, String operation, String... parameters) throws Exception {
        ModelNode op = new ModelNode();
        op.get("operation").set(operation);
        for (String element : address.substring(1).split("/")) {
            String[] pair = element.split("=", 2);
            op.get("address").add(pair[0], pair[1]);
        }
        for (int i = 0; i < parameters.length; i += 2) {
            op.get(parameters[i]).set(parameters[i + 1]);
        }
        ModelNode result = management.getControllerClient().execute(op);
        assertThat(result.get("outcome").asString()).as(address + ":" + operation + " " + result).isEqualTo("success");
        return result.get("result");
    }

    /** A {@code sendBatch} envelope of Exactly Once messages of one sender and interface. */
    private static String batchEnvelope(String sender, String interfaceName, String... messageIds) {
        StringBuilder xml = new StringBuilder("<soapenv:Envelope xmlns:soapenv=\"").append(CourierClient.SOAP_ENVELOPE_NAMESPACE)
                .append("\" xmlns:cm=\"").append(CourierClient.NAMESPACE).append("\"><soapenv:Body><cm:sendBatchRequest>");
        for (String id : messageIds) {
            xml.append("<cm:message><cm:sender>").append(CourierClient.escape(sender)).append("</cm:sender><cm:interface>")
                    .append(interfaceName).append("</cm:interface><cm:messageId>").append(CourierClient.escape(id))
                    .append("</cm:messageId><cm:qualityOfService>").append(CourierClient.EXACTLY_ONCE)
                    .append("</cm:qualityOfService><cm:payload>").append(order("q", id)).append("</cm:payload></cm:message>");
        }
        return xml.append("</cm:sendBatchRequest></soapenv:Body></soapenv:Envelope>").toString();
    }
}
