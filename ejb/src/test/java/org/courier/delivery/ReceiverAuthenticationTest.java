package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
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
 * a 401 to it is final; OAuth 2.0 client credentials fetch one token for many deliveries at once,
 * renew it before it expires, renew it once (never more) when the receiver refuses a kept one, and
 * a token endpoint that gives none is a failure worth retrying in which the receiver never took
 * part. No error text holds the secret.
 */
class ReceiverAuthenticationTest {

    private static final String SECRET = "s3cret";
    private static final ReceiverIdentities IDENTITIES = receiver -> new ReceiverIdentity(null, "client-id", SECRET.toCharArray(), "test rule");

    private final MovableClock clock = new MovableClock();
    private final ReceiverClient client = new ReceiverClient(IDENTITIES, clock);
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService serverThreads = Executors.newFixedThreadPool(40);

    private final Queue<Integer> receiverStatuses = new ConcurrentLinkedQueue<>();
    private final Queue<String> receiverAuthorizations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger receiverRequests = new AtomicInteger();

    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicReference<String> tokenAuthorization = new AtomicReference<>();
    private final AtomicReference<String> tokenForm = new AtomicReference<>();

    @AfterEach
    void stop() {
        client.closeConnections();
        servers.forEach(server -> server.stop(0));
        serverThreads.shutdownNow();
    }

    @Test
    void basicCredentialsGoWithEveryRequestUnasked() throws IOException {
        ReceiverClient basicClient = new ReceiverClient(receiver -> new ReceiverIdentity(null, "courier", "pässwort:1".toCharArray(),
                "test rule"), clock);
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
                "Elytron rule courier-receiver/erp"), clock);
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

    @Test
    void oneTokenServesFiftyDeliveries() throws IOException {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200, "{\"access_token\":\"tok\","
                + "\"token_type\":\"Bearer\",\"expires_in\":3600}"), null);

        for (int i = 0; i < 50; i++) {
            assertThat(client.post(receiver, delivery("m-" + i), false).success()).isTrue();
        }

        assertThat(tokenRequests).hasValue(1);
        assertThat(receiverAuthorizations).hasSize(50).containsOnly("Bearer tok-1");
        assertThat(decodedBasic(tokenAuthorization.get())).isEqualTo("client-id:" + SECRET);
        assertThat(form(tokenForm.get())).isEqualTo(Map.of("grant_type", "client_credentials"));
    }

    @Test
    void twoHundredConcurrentDeliveriesWithoutATokenAskForOneToken() throws Exception {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(300, 200,
                "{\"access_token\":\"tok\",\"token_type\":\"bearer\",\"expires_in\":3600}"), null);
        ExecutorService senders = Executors.newFixedThreadPool(32);
        try {
            List<Future<ReceiverResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "m-" + i;
                responses.add(senders.submit(() -> client.post(receiver, delivery(id), false)));
            }
            for (Future<ReceiverResponse> response : responses) {
                assertThat(response.get().success()).isTrue();
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(tokenRequests).hasValue(1);
        assertThat(receiverAuthorizations).hasSize(200).containsOnly("Bearer tok-1");
    }

    @Test
    void aTokenIsRenewedATenthOfItsLifetimeBeforeItExpires() throws IOException {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200,
                "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":2}"), null);

        client.post(receiver, delivery("m-1"), false);
        clock.advance(Duration.ofMillis(1700));
        client.post(receiver, delivery("m-2"), false);
        assertThat(tokenRequests).as("1.7 s into a 2 s token").hasValue(1);
        clock.advance(Duration.ofMillis(200));
        client.post(receiver, delivery("m-3"), false);

        assertThat(tokenRequests).as("1.9 s into a 2 s token").hasValue(2);
        assertThat(receiverAuthorizations).containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void aTokenWithoutExpiryIsKeptFiveMinutesLessThirtySeconds() throws IOException {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200,
                "{\"access_token\":\"tok\",\"token_type\":\"Bearer\"}"), null);

        client.post(receiver, delivery("m-1"), false);
        clock.advance(Duration.ofSeconds(269));
        client.post(receiver, delivery("m-2"), false);
        assertThat(tokenRequests).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        client.post(receiver, delivery("m-3"), false);

        assertThat(tokenRequests).hasValue(2);
    }

    @Test
    void aTokenEndpointAnswering503IsAFailureWorthRetryingAndTheReceiverIsNeverAsked() throws IOException {
        URI tokenUrl = tokenEndpoint(0, 503, "down for maintenance");
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenUrl, null);

        ReceiverResponse response = client.post(receiver, delivery("m-1"), false);

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isFalse();
        assertThat(response.inDoubt()).as("not sent: never in doubt").isFalse();
        assertThat(response.error()).isEqualTo("no OAuth 2.0 token for receiver erp: token endpoint " + tokenUrl
                + " answered HTTP 503: down for maintenance");
        assertThat(receiverRequests).hasValue(0);
    }

    @Test
    void aTokenEndpointRefusingTheClientCredentialsSaysSo() throws IOException {
        URI tokenUrl = tokenEndpoint(0, 401, "{\"error\":\"invalid_client\",\"error_description\":\"bad client secret\"}");
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenUrl, null);

        ReceiverResponse response = client.post(receiver, delivery("m-1"), false);

        assertThat(response.permanent()).isFalse();
        assertThat(response.inDoubt()).isFalse();
        assertThat(response.error()).isEqualTo("no OAuth 2.0 token for receiver erp: token endpoint " + tokenUrl
                + " answered HTTP 401 invalid_client (bad client secret) for client id \"client-id\" (test rule):"
                + " the client credentials are refused; fix them, then resend");
        assertThat(receiverRequests).hasValue(0);
    }

    @Test
    void aTokenEndpointThatEchoesTheSecretDoesNotPutItIntoTheText() throws IOException {
        URI tokenUrl = tokenEndpoint(0, 400, "{\"error\":\"invalid_request\",\"error_description\":\"secret " + SECRET + " expired\"}");

        ReceiverResponse response = client.post(receiver(receiverAnswering(), Authentication.OAUTH2, tokenUrl, null), delivery("m-1"), false);

        assertThat(response.error()).contains("answered HTTP 400 invalid_request (secret (secret) expired)");
        assertHoldsNoSecret(response.error());
    }

    @Test
    void anUnreachableTokenEndpointOrAnAnswerWithoutATokenIsAFailureWorthRetrying() throws IOException {
        URI receiverUrl = receiverAnswering();
        URI closed = closedPort();
        URI noToken = tokenEndpoint(0, 200, "<html>login</html>");

        ReceiverResponse unreachable = client.post(receiver(receiverUrl, Authentication.OAUTH2, closed, null), delivery("m-1"), false);
        CallReply unusable = client.call(receiver(receiverUrl, Authentication.OAUTH2, noToken, null), "ERP", "Orders", "m-2",
                "<order/>", false);

        assertThat(unreachable.inDoubt()).isFalse();
        assertThat(unreachable.permanent()).isFalse();
        assertThat(unreachable.error()).isEqualTo("no OAuth 2.0 token for receiver erp: token endpoint " + closed + " refused the connection");
        assertThat(unusable.kind()).as("a call that certainly did not reach the receiver").isEqualTo(CallReply.Kind.UNREACHABLE);
        assertThat(unusable.error()).isEqualTo("no OAuth 2.0 token for receiver erp: token endpoint " + noToken
                + " answered HTTP 200 without a JSON object");
        assertThat(receiverRequests).hasValue(0);
    }

    @Test
    void aReceiverRefusingAKeptTokenGetsTheRequestOnceMoreWithANewOne() throws IOException {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200,
                "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":3600}"), null);
        client.post(receiver, delivery("m-1"), false);
        receiverAuthorizations.clear();
        receiverRequests.set(0);
        receiverStatuses.add(401);

        ReceiverResponse response = client.post(receiver, delivery("m-2"), false);

        assertThat(response.success()).isTrue();
        assertThat(tokenRequests).hasValue(2);
        assertThat(receiverRequests).hasValue(2);
        assertThat(receiverAuthorizations).containsExactly("Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void aReceiverRefusingEveryTokenIsAPermanentFailureAfterOneNewToken() throws IOException {
        URI url = receiverAnswering();
        URI tokenUrl = tokenEndpoint(0, 200, "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        ReceiverEndpoint receiver = receiver(url, Authentication.OAUTH2, tokenUrl, null);
        client.post(receiver, delivery("m-1"), false);
        receiverRequests.set(0);
        receiverStatuses.addAll(List.of(401, 401, 401, 401));

        ReceiverResponse response = client.post(receiver, delivery("m-2"), false);

        assertThat(response.permanent()).isTrue();
        assertThat(response.inDoubt()).isFalse();
        assertThat(tokenRequests).as("the kept token and one new one, no loop").hasValue(2);
        assertThat(receiverRequests).hasValue(2);
        assertThat(response.error()).isEqualTo("receiver refuses a fresh OAuth 2.0 token of client \"client-id\" (test rule) from "
                + tokenUrl + ": HTTP 401 from " + url + "; check what the token issuer grants the client (scope, audience)"
                + " and whom the receiver trusts, then resend");
        assertHoldsNoSecret(response.error());
    }

    @Test
    void aReceiverRefusingATokenJustFetchedIsAPermanentFailureAtOnce() throws IOException {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200,
                "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":3600}"), null);
        receiverStatuses.addAll(List.of(401, 401));

        ReceiverResponse response = client.post(receiver, delivery("m-1"), false);

        assertThat(response.permanent()).isTrue();
        assertThat(tokenRequests).hasValue(1);
        assertThat(receiverRequests).hasValue(1);
    }

    @Test
    void theScopeIsAskedForAndTheClientCredentialsAreFormEncoded() throws IOException {
        ReceiverClient oddClient = new ReceiverClient(receiver -> new ReceiverIdentity(null, "client/id", "s3:cr&t ü".toCharArray(),
                "test rule"), clock);
        try {
            ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200,
                    "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":60}"), "orders.write orders.read");

            assertThat(oddClient.post(receiver, delivery("m-1"), false).success()).isTrue();

            assertThat(form(tokenForm.get())).isEqualTo(Map.of("grant_type", "client_credentials", "scope", "orders.write orders.read"));
            assertThat(decodedBasic(tokenAuthorization.get())).isEqualTo("client%2Fid:s3%3Acr%26t+%C3%BC");
        } finally {
            oddClient.closeConnections();
        }
    }

    @Test
    void callsAndStatusQuestionsCarryTheSameToken() throws IOException {
        ReceiverEndpoint receiver = receiver(receiverAnswering(), Authentication.OAUTH2, tokenEndpoint(0, 200,
                "{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":3600}"), null);

        assertThat(client.call(receiver, "ERP", "Orders", null, "<order/>", false).succeeded()).isTrue();
        assertThat(client.askStatus(receiver, receiver.url(), delivery("m-1")).kind()).isEqualTo(StatusAnswer.Kind.RECEIVED);

        assertThat(tokenRequests).hasValue(1);
        assertThat(receiverAuthorizations).containsExactly("Bearer tok-1", "Bearer tok-1");
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

    /** A token endpoint answering after {@code delayMillis}; an access token "tok" becomes "tok-" and the number of the request. */
    private URI tokenEndpoint(long delayMillis, int status, String body) throws IOException {
        HttpServer server = server();
        server.createContext("/token", exchange -> {
            int number = tokenRequests.incrementAndGet();
            tokenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            tokenForm.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.replace("\"tok\"", "\"tok-" + number + "\"").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    private HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(serverThreads);
        server.start();
        servers.add(server);
        return server;
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + free.getLocalPort() + "/token");
        }
    }

    private static ReceiverEndpoint receiver(URI url, Authentication authentication, URI tokenUrl, String scope) {
        return new ReceiverEndpoint("erp", url, Duration.ofSeconds(5), false, InDoubtPolicy.HOLD, null, null, ReceiverProtocol.PLAIN,
                new ConnectionSettings(authentication, tokenUrl, scope, Tls.SERVER, null, 0));
    }

    private static Delivery delivery(String messageId) {
        return new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null, "<order/>", "hash")
                .addDelivery("erp");
    }

    private static String decodedBasic(String authorization) {
        assertThat(authorization).startsWith("Basic ");
        return new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String body) {
        return java.util.Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
