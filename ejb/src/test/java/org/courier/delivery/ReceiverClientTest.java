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
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.routing.ReceiverEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a receiver's answer - or its silence - makes of a delivery, against real local servers:
 * only a request that went out without an answer is unanswered (in doubt for a receiver that is
 * not idempotent); everything that failed before the request went out is a plain failure.
 */
class ReceiverClientTest {

    private final ReceiverClient client = new ReceiverClient();
    private final AtomicReference<Headers> lastHeaders = new AtomicReference<>();
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

    private URI answering(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/in", exchange -> {
            lastHeaders.set(exchange.getRequestHeaders());
            exchange.getRequestBody().readAllBytes();
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

    private static Delivery delivery(String messageId) {
        return new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null, "<order/>", "hash")
                .addDelivery("test");
    }
}
