package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xml.sax.InputSource;

/**
 * SAP's sender protocols at the HTTP level, as SAP systems speak them: SAP RM style plain SOAP
 * ({@code /courier/rm/<channel>}, channels of sender RMERP: {@code erp-orders} → Orders → alpha,
 * {@code erp-in-order} → InOrder → ordered, {@code erp-quotes} → Quote → responder) and XI 3.0
 * messages ({@code /courier/xi}); and the receivers that speak them ({@code RmOut} →
 * rm-receiver, {@code XiOut} → xi-receiver).
 */
@ExtendWith(ArquillianExtension.class)
class SapProtocolsIT {

    private static final URI BASE = URI.create("http://127.0.0.1:8080/courier/");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ORDER = "<order xmlns=\"urn:example:orders\"><amount>42.00</amount></order>";

    private final CourierClient courier = new CourierClient();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private TestReceiver alpha;
    private TestReceiver ordered;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        alpha = TestReceiver.start(18081);
        ordered = TestReceiver.start(18086);
    }

    @AfterEach
    void stopReceivers() {
        alpha.close();
        ordered.close();
    }

    @Test
    void sapRmExactlyOnceAndItsDuplicatesAreAnsweredTwoHundredAndDeliveredOnce() throws Exception {
        String guid = UUID.randomUUID().toString();
        String sapSpelling = guid.replace("-", "").toUpperCase(Locale.ROOT);

        HttpResponse<String> first = rm("erp-orders?MessageId=" + sapSpelling, soap("", ORDER));
        HttpResponse<String> again = rm("erp-orders?MessageId=uuid:" + guid, soap("", ORDER));
        HttpResponse<String> header = rm("erp-orders", soap(messageIdHeader("urn:uuid:" + guid), ORDER));

        assertThat(List.of(first, again, header)).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEmpty();
        });
        await().atMost(DEADLINE).until(() -> alpha.count(guid) == 1);
        Arrival arrival = alpha.arrivalsOf(guid).get(0);
        assertThat(arrival.sender()).isEqualTo("RMERP");
        assertThat(arrival.interfaceName()).isEqualTo("Orders");
        assertThat(arrival.body()).isEqualTo(ORDER);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alpha.count(guid) == 1);
        assertThat(courier.status("RMERP", guid).delivery("alpha").orElseThrow().state()).isEqualTo("DELIVERED");
    }

    /** Eight copies of one message, in SAP's different spellings of its id, at the same moment: one delivery. */
    @Test
    void concurrentResendsInEverySpellingAreOneMessage() throws Exception {
        String guid = UUID.randomUUID().toString();
        String plain = guid.replace("-", "");
        List<String> spellings = List.of(guid, guid.toUpperCase(Locale.ROOT), plain, plain.toUpperCase(Locale.ROOT),
                "uuid:" + guid, "urn:uuid:" + guid, "uuid:" + plain.toUpperCase(Locale.ROOT), "urn:uuid:" + plain);
        ExecutorService pool = Executors.newFixedThreadPool(spellings.size());
        CyclicBarrier start = new CyclicBarrier(spellings.size());
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String spelling : spellings) {
                answers.add(pool.submit(() -> {
                    start.await();
                    // a sender resends until it gets its 200
                    return await().atMost(DEADLINE).until(() -> rm("erp-orders?MessageId=" + spelling, soap("", ORDER))
                            .statusCode(), status -> status == 200);
                }));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(DEADLINE).until(() -> alpha.count(guid) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alpha.count(guid) == 1);
        assertThat(database.messages("RMERP", guid)).isEqualTo(1);
    }

    @Test
    void aSapRmQueueIdKeepsTheOrder() throws Exception {
        String queue = "RM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        List<String> ids = Stream.generate(() -> UUID.randomUUID().toString()).limit(5).toList();
        for (String id : ids) {
            assertThat(rm("erp-in-order?MessageId=" + id + "&QueueId=" + queue, soap("", ORDER)).statusCode()).isEqualTo(200);
        }

        await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> ordered.count(id) == 1));
        List<Arrival> arrivals = ordered.arrivals().stream().filter(a -> queue.equals(a.queueId())).toList();
        assertThat(arrivals).extracting(Arrival::messageId).containsExactlyElementsOf(ids);
        assertThat(arrivals).extracting(Arrival::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void badIdsBadQueuesAndBadEnvelopesAreRefusedClearlyAndNothingIsStored() throws Exception {
        String guid = UUID.randomUUID().toString();
        assertRefused(rm("erp-orders?MessageId=order-4711", soap("", ORDER)), 500, "INVALID_REQUEST", "is not a GUID");
        assertRefused(rm("erp-orders", soap("", ORDER)), 500, "INVALID_REQUEST", "MessageId is missing");
        assertRefused(rm("erp-in-order?MessageId=" + guid + "&QueueId=bad%20queue", soap("", ORDER)), 500,
                "INVALID_REQUEST", "queueId 'bad queue' is not valid");
        assertRefused(rm("erp-in-order?MessageId=" + guid + "&QualityOfService=ExactlyOnceInOrder", soap("", ORDER)), 500,
                "INVALID_REQUEST", "queueId is missing");
        assertRefused(rm("erp-orders?MessageId=" + guid + "&QualityOfService=Sometimes", soap("", ORDER)), 500,
                "INVALID_REQUEST", "QualityOfService 'Sometimes'");
        assertRefused(rm("erp-orders?MessageId=" + guid, ORDER), 500, "INVALID_REQUEST", "not a SOAP envelope");
        assertRefused(rm("erp-orders?MessageId=" + guid, soap("", "")), 500, "INVALID_REQUEST", "SOAP Body is empty");
        assertRefused(rm("nobody?MessageId=" + guid, soap("", ORDER)), 404, "UNKNOWN_INTERFACE", "no SAP RM channel 'nobody'");
        // control characters in URL parameters: quoted as escapes, in a fault that is still XML a sender can read
        HttpResponse<String> control = rm("erp-orders?MessageId=order%01", soap("", ORDER));
        assertRefused(control, 500, "INVALID_REQUEST", "MessageId 'order\\u0001'");
        assertWellFormed(control.body());
        HttpResponse<String> controlInQueue = rm("erp-in-order?MessageId=" + guid + "&QueueId=Q%07", soap("", ORDER));
        assertRefused(controlInQueue, 500, "INVALID_REQUEST", "queueId 'Q\\u0007' is not valid");
        assertWellFormed(controlInQueue.body());

        assertThat(database.messages("RMERP", guid)).isZero();
    }

    /** The body is read in the charset its Content-Type declares: the same text arrives, or the request is refused whole. */
    @Test
    void aBodyInItsDeclaredCharsetArrivesAsSentAndBytesThatLieAboutItAreRefused() throws Exception {
        String payload = "<order xmlns=\"urn:example:orders\" note=\"Grüße \uD834\uDD1E\"><amount>42.00</amount></order>";
        String guid = UUID.randomUUID().toString();
        HttpResponse<String> utf16 = post(BASE.resolve("rm/erp-orders?MessageId=" + guid), "text/xml; charset=UTF-16",
                soap("", payload).getBytes(StandardCharsets.UTF_16));
        assertThat(utf16.statusCode()).as(utf16.body()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> alpha.count(guid) == 1);
        String delivered = alpha.arrivalsOf(guid).get(0).body();
        assertThat(delivered).as("the same XML (a character outside the BMP in an attribute may come as a reference)")
                .startsWith("<order xmlns=\"urn:example:orders\" note=\"Grüße ").endsWith("<amount>42.00</amount></order>");
        assertThat(delivered.replace("&#119070;", "\uD834\uDD1E")).isEqualTo(payload);

        String lying = UUID.randomUUID().toString();
        byte[] latin1 = soap("", "<order xmlns=\"urn:example:orders\" note=\"Grüße\"/>").getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(post(BASE.resolve("rm/erp-orders?MessageId=" + lying), "text/xml; charset=utf-8", latin1), 500,
                "INVALID_REQUEST", "the request body is not UTF-8 text");
        assertRefused(post(BASE.resolve("rm/erp-orders?MessageId=" + lying), "text/xml; charset=x-klingon", latin1), 500,
                "INVALID_REQUEST", "charset 'x-klingon' is not one Courier can read");
        assertThat(database.messages("RMERP", lying)).isZero();
    }

    @Test
    void aSapRmBestEffortCallAnswersWithTheReceiversResponse() throws Exception {
        try (TestReceiver responder = TestReceiver.start(18095)) {
            responder.respondWith(request -> "<quote xmlns=\"urn:example:quotes\" for=\"" + request.messageId() + "\"/>");
            String guid = UUID.randomUUID().toString();

            HttpResponse<String> answer = rm("erp-quotes?MessageId=" + guid + "&QualityOfService=BestEffort",
                    soap("", "<quoteRequest xmlns=\"urn:example:quotes\"/>"));

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("Envelope").contains("<quote xmlns=\"urn:example:quotes\" for=\"" + guid + "\"/>");
            assertThat(database.messages("RMERP", guid)).isZero();
        }
    }

    @Test
    void anXiMessageExactlyOnceAndInOrder() throws Exception {
        String guid = UUID.randomUUID().toString();
        HttpResponse<String> first = xi(xiMessage(guid, "BS_XI_ERP", "Orders", "ExactlyOnce", null));
        HttpResponse<String> again = xi(xiMessage(guid.toUpperCase(Locale.ROOT), "BS_XI_ERP", "Orders", "ExactlyOnce", null));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> alpha.count(guid) == 1);
        assertThat(alpha.arrivalsOf(guid).get(0).sender()).isEqualTo("BS_XI_ERP");

        String queue = "XI" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        List<String> ids = Stream.generate(() -> UUID.randomUUID().toString()).limit(4).toList();
        for (String id : ids) {
            assertThat(xi(xiMessage(id, "BS_XI_ERP", "InOrder", "ExactlyOnceInOrder", queue)).statusCode()).isEqualTo(200);
        }
        await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> ordered.count(id) == 1));
        assertThat(ordered.arrivals().stream().filter(a -> queue.equals(a.queueId())).map(Arrival::messageId).toList())
                .containsExactlyElementsOf(ids);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alpha.count(guid) == 1);
    }

    @Test
    void xiMessagesCourierDoesNotSupportAreRefusedClearly() throws Exception {
        String guid = UUID.randomUUID().toString();
        HttpResponse<String> multipart = post(BASE.resolve("xi"), "multipart/related; boundary=x; type=\"text/xml\"",
                "--x\r\n\r\n" + xiMessage(guid, "BS_XI_ERP", "Orders", "ExactlyOnce", null) + "\r\n--x--");
        assertRefused(multipart, 415, "NOT_SUPPORTED", "attachments");
        assertRefused(xi(soap("", ORDER)), 500, "INVALID_REQUEST", "no XI message header");
        assertRefused(xi(xiMessage("not-a-guid", "BS_XI_ERP", "Orders", "ExactlyOnce", null)), 500, "INVALID_REQUEST",
                "Main/MessageId 'not-a-guid' is not a GUID");
        assertThat(database.messages("BS_XI_ERP", guid)).isZero();
    }

    /** Receivers that speak SAP RM get id, quality of service and queue in the URL; XI receivers in the XI header. */
    @Test
    void sapReceiversGetTheirIdsAndQueuesTheirWay() throws Exception {
        try (TestReceiver rmReceiver = TestReceiver.start(18097); TestReceiver xiReceiver = TestReceiver.start(18098)) {
            String id = "order-" + UUID.randomUUID();
            assertThat(courier.send("SHOP", "RmOut", id, ORDER).result()).isEqualTo("ACCEPTED");
            String queued = "order-" + UUID.randomUUID();
            assertThat(courier.sendInOrder("SHOP", "RmOut", queued, "SHOPQ", ORDER).result()).isEqualTo("ACCEPTED");
            assertThat(courier.send("SHOP", "XiOut", "xi-" + id, ORDER).result()).isEqualTo("ACCEPTED");

            await().atMost(DEADLINE).until(() -> rmReceiver.delivered() == 2 && xiReceiver.delivered() == 1);
            Map<String, String> eo = query(rmReceiver.arrivals().stream().filter(a -> id.equals(a.sourceMessageId())).findFirst()
                    .orElseThrow());
            assertThat(eo).containsEntry("channel", "courier").containsEntry("QualityOfService", "ExactlyOnce")
                    .doesNotContainKey("QueueId");
            assertThat(eo.get("MessageId")).matches("uuid:[0-9a-f-]{36}");
            Arrival inOrder = rmReceiver.arrivals().stream().filter(a -> queued.equals(a.sourceMessageId())).findFirst().orElseThrow();
            assertThat(query(inOrder)).containsEntry("QualityOfService", "ExactlyOnceInOrder").containsEntry("QueueId", "SHOPQ");
            assertThat(inOrder.body()).startsWith("<soap:Envelope").contains(ORDER);

            Arrival xi = xiReceiver.arrivals().get(0);
            assertThat(xi.body()).contains("<SAP:MessageId>" + xi.messageId() + "</SAP:MessageId>")
                    .contains("<SAP:Service>SHOP</SAP:Service>").contains("<SAP:Interface>XiOut</SAP:Interface>")
                    .contains("<SAP:QualityOfService>ExactlyOnce</SAP:QualityOfService>").contains(ORDER);
            assertThat(xi.messageId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        }
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String code, String reasonPart) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains("<code>" + code + "</code>").contains(reasonPart);
    }

    private static void assertWellFormed(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        assertThat(factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement())
                .as(xml).isNotNull();
    }

    private static Map<String, String> query(Arrival arrival) {
        return Stream.of(arrival.query().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], UTF_8)));
    }

    private static HttpResponse<String> rm(String channelAndQuery, String envelope) throws Exception {
        return post(BASE.resolve("rm/" + channelAndQuery), "text/xml; charset=utf-8", envelope);
    }

    private static HttpResponse<String> xi(String envelope) throws Exception {
        return post(BASE.resolve("xi"), "text/xml; charset=utf-8", envelope);
    }

    private static HttpResponse<String> post(URI uri, String contentType, String body) throws Exception {
        return post(uri, contentType, body.getBytes(UTF_8));
    }

    private static HttpResponse<String> post(URI uri, String contentType, byte[] body) throws Exception {
        return HTTP.send(TestUser.INTEGRATION.authorize(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("SOAPAction", "\"http://sap.com/xi/WebService/soap1.1\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String soap(String header, String payload) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + (header.isEmpty() ? "" : "<soap:Header>" + header + "</soap:Header>")
                + "<soap:Body>" + payload + "</soap:Body></soap:Envelope>";
    }

    private static String messageIdHeader(String id) {
        return "<n:messageId xmlns:n=\"http://www.sap.com/webas/640/soap/features/messageId/\">" + id + "</n:messageId>";
    }

    private static String xiMessage(String id, String service, String interfaceName, String qos, String queueId) {
        return soap("<SAP:Main xmlns:SAP=\"http://sap.com/xi/XI/Message/30\" versionMajor=\"3\" versionMinor=\"0\">"
                + "<SAP:MessageClass>ApplicationMessage</SAP:MessageClass><SAP:ProcessingMode>asynchronous</SAP:ProcessingMode>"
                + "<SAP:MessageId>" + id + "</SAP:MessageId><SAP:TimeSent>2026-11-22T10:00:00Z</SAP:TimeSent>"
                + "<SAP:Sender><SAP:Party agency=\"\" scheme=\"\"/><SAP:Service>" + service + "</SAP:Service></SAP:Sender>"
                + "<SAP:Interface namespace=\"urn:example:orders\">" + interfaceName + "</SAP:Interface></SAP:Main>"
                + "<SAP:ReliableMessaging xmlns:SAP=\"http://sap.com/xi/XI/Message/30\"><SAP:QualityOfService>" + qos
                + "</SAP:QualityOfService>" + (queueId == null ? "" : "<SAP:QueueId>" + queueId + "</SAP:QueueId>")
                + "</SAP:ReliableMessaging>", ORDER);
    }
}
