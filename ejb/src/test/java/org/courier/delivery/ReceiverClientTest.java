package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.courier.idmapping.IdMappingRule;
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a receiver's answer - or its silence - makes of a delivery, against real local servers:
 * only a request that went out without an answer is unanswered (in doubt for a receiver that is
 * not idempotent); everything that failed before the request went out is a plain failure.
 */
class ReceiverClientTest {

    private final ReceiverClient client = new ReceiverClient();
    private static final String TID = "0A1B2C3D4E5F60718293A4B5";
    private static final String IDOC = "<ORDERS05><IDOC BEGIN=\"1\"><EDI_DC40 SEGMENT=\"1\"><TABNAM>EDI_DC40</TABNAM>"
            + "<SERIAL>1</SERIAL></EDI_DC40><E1EDK01 SEGMENT=\"1\"><BELNR>4711</BELNR></E1EDK01></IDOC></ORDERS05>";
    private final AtomicReference<Headers> lastHeaders = new AtomicReference<>();
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        client.closeConnections();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void a2xxIsDeliveredAndTheRequestCarriesTheMessagesIdentity() throws IOException {
        URI url = answering(202, "");

        ReceiverResponse response = client.post(receiver(url, Duration.ofSeconds(5)), delivery("m-1"), true);

        assertThat(response.success()).isTrue();
        Headers headers = lastHeaders.get();
        assertThat(headers.getFirst(ReceiverClient.MESSAGE_ID_HEADER)).isEqualTo("m-1");
        assertThat(headers.getFirst(ReceiverClient.SENDER_HEADER)).isEqualTo("ERP");
        assertThat(headers.getFirst(ReceiverClient.INTERFACE_HEADER)).isEqualTo("Orders");
        assertThat(headers.getFirst(ReceiverClient.POSSIBLE_DUPLICATE_HEADER)).isEqualTo("true");
        assertThat(headers.getFirst("Content-Type")).startsWith("application/xml");
        assertThat(headers.getFirst("Connection")).as("a receiver that is not idempotent: a connection per request")
                .isEqualToIgnoringCase("close");
    }

    @Test
    void aClientErrorIsRefusedForGoodWithTheStartOfTheReceiversBody() throws IOException {
        URI url = answering(400, "<error>order number missing</error>");

        ReceiverResponse response = client.post(receiver(url, Duration.ofSeconds(5)), delivery("m-2"), false);

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isTrue();
        assertThat(response.inDoubt()).isFalse();
        assertThat(response.error()).isEqualTo("HTTP 400 from " + url + ": <error>order number missing</error>");
    }

    @Test
    void aServerErrorIsAFailureWorthRetrying() throws IOException {
        URI url = answering(503, "");

        ReceiverResponse response = client.post(receiver(url, Duration.ofSeconds(5)), delivery("m-3"), false);

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isFalse();
        assertThat(response.inDoubt()).isFalse();
        assertThat(response.error()).isEqualTo("HTTP 503 from " + url);
    }

    @Test
    void aRefusedConnectionIsCertainlyNotReceived() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/in");

        ReceiverResponse response = client.post(receiver(url, Duration.ofSeconds(5)), delivery("m-4"), false);

        assertThat(response.inDoubt()).isFalse();
        assertThat(response.error()).isEqualTo("connection refused by " + url);
    }

    @Test
    void anUnknownHostIsCertainlyNotReceived() {
        URI url = URI.create("http://no-such-host.invalid/in");

        ReceiverResponse response = client.post(receiver(url, Duration.ofSeconds(5)), delivery("m-5"), false);

        assertThat(response.inDoubt()).isFalse();
        assertThat(response.error()).startsWith("unknown host no-such-host.invalid");
    }

    @Test
    void noAnswerWithinTheTimeoutAfterTheRequestWentOutIsUnanswered() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/in");
            // accepted by the kernel's backlog, read by nobody, answered never

            ReceiverResponse response = client.post(receiver(url, Duration.ofSeconds(1)), delivery("m-6"), false);

            assertThat(response.inDoubt()).isTrue();
            assertThat(response.error()).isEqualTo("no answer from " + url + " within 1 s");
        }
    }

    @Test
    void anIdocGoesToSapsSoapInboundWithItsTransactionIdInArckeyTheSameOnEveryAttempt() throws IOException {
        URI url = answering(200, "");
        ReceiverEndpoint sap = idocReceiver(url, ReceiverProtocol.IDOC);

        assertThat(client.post(sap, idocDelivery("m-7", TID), false).success()).isTrue();
        String first = lastBody.get();
        assertThat(client.post(sap, idocDelivery("m-7", TID), true).success()).isTrue();

        assertThat(lastBody.get()).as("a second attempt").isEqualTo(first);
        assertThat(first).startsWith("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>")
                .contains("urn:sap-com:document:sap:idoc:soap:messages")
                .contains("<ARCKEY>urn:sap.com:msgid=" + TID + "</ARCKEY>");
        assertThat(lastHeaders.get().getFirst("Content-Type")).startsWith("text/xml");
        assertThat(lastHeaders.get().getFirst("X-TID")).isNull();
    }

    @Test
    void idocXmlIsPlainIdocXmlWithTheTransactionIdInArckeyAndInXTid() throws IOException {
        URI url = answering(200, "<html><head><title>IDoc-XML-inbound ok</title></head></html>");

        ReceiverResponse response = client.post(idocReceiver(url, ReceiverProtocol.IDOC_XML), idocDelivery("m-8", TID), false);

        assertThat(response.success()).isTrue();
        assertThat(lastBody.get()).startsWith("<ORDERS05>").contains("<ARCKEY>urn:sap.com:msgid=" + TID + "</ARCKEY>");
        assertThat(lastHeaders.get().getFirst("Content-Type")).startsWith("application/x-sap.idoc");
        assertThat(lastHeaders.get().getFirst("X-TID")).isEqualTo(TID);
    }

    @Test
    void sapsAnswersAreReadAsSapMeansThem() throws IOException {
        URI url = answering(500, "<soap:Fault><faultstring>IDoc SOAP namespace violation MSGID_LOCKED</faultstring></soap:Fault>");
        ReceiverResponse locked = client.post(idocReceiver(url, ReceiverProtocol.IDOC), idocDelivery("m-9", TID), false);
        assertThat(locked.success()).isFalse();
        assertThat(locked.permanent()).isFalse();
        assertThat(locked.error()).contains("MSGID_LOCKED").contains("tried again later");
        server.stop(0);

        url = answering(500, "<faultstring>IDoc 0000000000004711 has already been received, therefore reception is refused (EA097)</faultstring>");
        assertThat(client.post(idocReceiver(url, ReceiverProtocol.IDOC), idocDelivery("m-9", TID), false).success())
                .as("SAP has the IDoc: delivered").isTrue();
        server.stop(0);

        url = answering(500, "<faultstring>EA728 IDoc SOAP Namespace - Violation MULTIPLE_IDOCS_NOT_ALLOWED</faultstring>");
        ReceiverResponse violation = client.post(idocReceiver(url, ReceiverProtocol.IDOC), idocDelivery("m-9", TID), false);
        assertThat(violation.permanent()).isTrue();
        assertThat(violation.error()).contains("SAP refused the IDoc (MULTIPLE_IDOCS_NOT_ALLOWED)");
        server.stop(0);

        url = answering(500, "<faultstring>partner profile not available</faultstring>");
        ReceiverResponse other = client.post(idocReceiver(url, ReceiverProtocol.IDOC), idocDelivery("m-9", TID), false);
        assertThat(other.permanent()).as("read as from any receiver: a 5xx is worth retrying").isFalse();
        assertThat(other.error()).isEqualTo("HTTP 500 from " + url + ": <faultstring>partner profile not available</faultstring>");
    }

    @Test
    void aPayloadThatIsNotAnIdocIsRefusedWithoutARequest() throws IOException {
        URI url = answering(200, "");

        ReceiverResponse response = client.post(idocReceiver(url, ReceiverProtocol.IDOC), delivery("m-10"), false);

        assertThat(response.permanent()).isTrue();
        assertThat(response.error()).startsWith("sap takes IDocs, and this payload is not one:");
        assertThat(lastBody.get()).isNull();
    }

    private URI answering(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/in", exchange -> {
            lastHeaders.set(exchange.getRequestHeaders());
            lastBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in");
    }

    private static ReceiverEndpoint receiver(URI url, Duration timeout) {
        return new ReceiverEndpoint("test", url, timeout);
    }

    private static ReceiverEndpoint idocReceiver(URI url, ReceiverProtocol protocol) {
        return new ReceiverEndpoint("sap", url, Duration.ofSeconds(5), true, InDoubtPolicy.HOLD, null,
                IdMappingRule.of("idoc-tid", "stored", 30), protocol);
    }

    private static Delivery idocDelivery(String messageId, String tid) {
        Delivery delivery = new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null, IDOC, "hash")
                .addDelivery("sap");
        delivery.carryTargetId(tid);
        return delivery;
    }

    private static Delivery delivery(String messageId) {
        return new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null, "<order/>", "hash")
                .addDelivery("test");
    }
}
