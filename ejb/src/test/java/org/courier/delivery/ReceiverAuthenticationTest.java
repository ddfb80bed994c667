package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.routing.ConnectionSettings;
import org.courier.routing.ConnectionSettings.Authentication;
import org.courier.routing.ConnectionSettings.Tls;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials for receivers, against real local servers: HTTP Basic goes with every request, and
 * a 401 to it is final. No error text holds the secret.
 */
class ReceiverAuthenticationTest {

    private static final String SECRET = "s3cret";

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService serverThreads = Executors.newFixedThreadPool(40);

    private final Queue<Integer> receiverStatuses = new ConcurrentLinkedQueue<>();
    private final Queue<String> receiverAuthorizations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger receiverRequests = new AtomicInteger();

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
        serverThreads.shutdownNow();
    }

    @Test
    void basicCredentialsGoWithEveryRequestUnasked() throws IOException {
        ReceiverClient basicClient = new ReceiverClient(receiver -> new ReceiverIdentity(null, "courier", "pässwort:1".toCharArray(),
                "test rule"));
        try {
            ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.BASIC, null, null);

            assertThat(basicClient.post(receiver, delivery("m-1"), false).success()).isTrue();
            assertThat(basicClient.call(receiver, "ERP", "Orders", "m-2", "<order/>", false).succeeded()).isTrue();
            assertThat(basicClient.askStatus(receiver, receiver.url(), delivery("m-1")).kind()).isEqualTo(StatusAnswer.Kind.RECEIVED);

            assertThat(receiverRequests).as("no 401 round trip").hasValue(3);
            assertThat(receiverAuthorizations).hasSize(3).allSatisfy(authorization -> {
                assertThat(authorization).startsWith("Basic ");
                assertThat(new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8))
                        .isEqualTo("courier:pässwort:1");
            });
        } finally {
            basicClient.closeConnections();
        }
    }

    @Test
    void aReceiverRefusingBasicCredentialsIsAPermanentFailureNamingUserAndSource() throws IOException {
        receiverStatuses.add(401);
        ReceiverClient basicClient = new ReceiverClient(receiver -> new ReceiverIdentity(null, "courier", SECRET.toCharArray(),
                "Elytron rule courier-receiver/erp"));
        try {
            URI url = receiverAnswering();

            ReceiverResponse response = basicClient.post(receiver(url, Authentication.BASIC, null, null), delivery("m-1"), false);

            assertThat(response.permanent()).isTrue();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error()).isEqualTo("HTTP 401 from " + url + " with Basic credentials of user \"courier\""
                    + " (Elytron rule courier-receiver/erp): the receiver refuses them; fix the credential, then resend");
            assertHoldsNoSecret(response.error());
            assertThat(receiverRequests).as("Basic is not sent again").hasValue(1);
        } finally {
            basicClient.closeConnections();
        }
    }

    private static void assertHoldsNoSecret(String error) {
        assertThat(error).doesNotContain(SECRET).doesNotContain(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    /** A receiver answering the next of {@link #receiverStatuses}, 200 once they are used up. */
    private URI receiverAnswering() throws IOException {
        HttpServer server = server();
        server.createContext("/", exchange -> {
            receiverRequests.incrementAndGet();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            receiverAuthorizations.add(authorization == null ? "(none)" : authorization);
            exchange.getRequestBody().readAllBytes();
            Integer status = receiverStatuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in");
    }

    private HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(serverThreads);
        server.start();
        servers.add(server);
        return server;
    }

    private static ReceiverEndpoint receiver(URI url, Authentication authentication, URI tokenUrl, String scope) {
        return new ReceiverEndpoint("erp", url, Duration.ofSeconds(5), false, InDoubtPolicy.HOLD, null, null, ReceiverProtocol.PLAIN,
                new ConnectionSettings(authentication, tokenUrl, scope, Tls.SERVER, null, 0));
    }

    private static Delivery delivery(String messageId) {
        return new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null, "<order/>", "hash")
                .addDelivery("erp");
    }
}
