package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.courier.delivery.TestProxy;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.MessageStatus;
import org.courier.it.support.CourierDeployment;
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
 * Receivers that want credentials, black box through a WildFly set up the way docs/receivers.md
 * tells operators to (src/test/cli/test-receivers.sh): the secrets in an Elytron credential store,
 * the trust store and Courier's client certificate in Elytron key stores, one rule per receiver in
 * the server's default authentication context. The receivers are real servers: an HTTPS receiver
 * that demands a client certificate signed by the test CA and HTTP Basic credentials; an OAuth 2.0
 * token endpoint and a receiver that takes only its tokens. A delivery that cannot authenticate is a
 * clear failure in the failure store and in {@code status}, which says why without the secret.
 */
@ExtendWith(ArquillianExtension.class)
class ReceiverAuthenticationIT {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final String BASIC_USER = "courier";
    private static final String BASIC_PASSWORD = "basic-receiver-password";
    private static final String WRONG_PASSWORD = "not-the-receiver-password";
    private static final String CLIENT_ID = "courier-client";
    private static final String CLIENT_SECRET = "oauth-client-secret";

    private final SoapSender soap = new SoapSender(URI.create("http://127.0.0.1:8080/courier/CourierService"),
            Duration.ofSeconds(30), TestUser.INTEGRATION.credentials());
    private final CourierClient courier = CourierClient.local();
    private final CourierAdmin admin = new CourierAdmin();
    private final String sender = "AUTH" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aReceiverDemandingBasicCredentialsAndAClientCertificateGetsEveryMessageOnce() throws Exception {
        try (SecuredReceiver receiver = SecuredReceiver.start(18105)) {
            List<String> ids = sendAll("SecuredBasic", 200);

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> receiver.accepted.size() == ids.size());
            assertThat(receiver.accepted.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(receiver.accepted.values()).as("times each message arrived").containsOnly(1);
            assertThat(receiver.clients).as("client certificates presented").containsExactly("CN=courier-test-client");
            assertThat(receiver.refused.get()).as("requests refused").isZero();
        }
    }

    @Test
    void wrongCredentialsAreAFailureThatSaysWhyWithoutTheSecret() throws Exception {
        try (SecuredReceiver receiver = SecuredReceiver.start(18105)) {
            String id = sendAll("SecuredWrong", 1).get(0);

            FailureEntry failure = failureOf("secured-wrong", id);
            assertThat(failure.lastError()).contains("401").contains("\"" + BASIC_USER + "\"")
                    .contains("Elytron rule courier-receiver/secured-wrong").doesNotContain(WRONG_PASSWORD)
                    .doesNotContain(BASIC_PASSWORD);
            assertThat(failure.attempts()).as("not retried: the credentials must be fixed first").isEqualTo(1);
            MessageStatus status = courier.status(sender, id);
            assertThat(status.deliveries()).singleElement()
                    .satisfies(delivery -> assertThat(delivery.lastError()).isEqualTo(failure.lastError()));
            assertThat(receiver.accepted).isEmpty();
        }
    }

    @Test
    void noClientCertificateIsAFailureThatSaysSo() throws Exception {
        try (SecuredReceiver receiver = SecuredReceiver.start(18105)) {
            String id = sendAll("SecuredNoClientCertificate", 1).get(0);

            FailureEntry failure = failureOf("secured-no-client-certificate", id);
            assertThat(failure.lastError()).containsIgnoringCase("client certificate").doesNotContain(BASIC_PASSWORD);
            assertThat(receiver.accepted).isEmpty();
            assertThat(admin.inDoubt("secured-no-client-certificate").entries()).as("nothing was sent: not in doubt").isEmpty();
        }
    }

    @Test
    void anOAuthReceiverGetsEveryMessageOnceWithATokenFetchedOnce() throws Exception {
        try (TokenEndpoint tokens = TokenEndpoint.start(18107); BearerReceiver receiver = BearerReceiver.start(18106, tokens)) {
            List<String> ids = sendAll("SecuredOauth", 200);

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> receiver.accepted.size() == ids.size());
            assertThat(receiver.accepted.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(receiver.accepted.values()).as("times each message arrived").containsOnly(1);
            assertThat(tokens.issued.get()).as("tokens fetched for 200 deliveries").isEqualTo(1);
            assertThat(tokens.scopes).containsOnly("courier.deliver");
            assertThat(admin.inDoubt("secured-oauth").entries()).filteredOn(entry -> sender.equals(entry.sender())).isEmpty();
        }
    }

    @Test
    void aReceiverBehindAProxyGetsEveryMessageThroughIt() throws Exception {
        try (TestProxy proxy = TestProxy.startOn(18109); PlainReceiver receiver = PlainReceiver.start(18108)) {
            List<String> ids = sendAll("ViaProxy", 50);

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> receiver.accepted.size() == ids.size());
            assertThat(receiver.accepted.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(proxy.carried()).as("requests the proxy carried").hasSize(ids.size())
                    .containsOnly("POST http://127.0.0.1:18108/in");
        }
    }

    private List<String> sendAll(String interfaceName, int count) {
        List<String> ids = new ArrayList<>();
        for (int start = 0; start < count; start += 50) {
            List<Message> messages = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 50); i++) {
                String id = sender + "-" + interfaceName + "-" + i;
                ids.add(id);
                messages.add(new Message(sender, interfaceName, id, "ExactlyOnce", null, "<order n=\"" + i + "\"/>"));
            }
            assertThat(soap.sendBatch(messages)).extracting(Outcome::kind).containsOnly(Outcome.Kind.ACCEPTED);
        }
        return ids;
    }

    private FailureEntry failureOf(String receiver, String messageId) {
        return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300))
                .until(() -> admin.failures(receiver).stream().filter(entry -> messageId.equals(entry.messageId())).findFirst(),
                        entry -> entry.isPresent())
                .orElseThrow();
    }

    /** The test CA's key stores, made by test-receivers.sh for this run. */
    private static SSLContext tls(String keyStore) throws Exception {
        Path keys = Path.of(System.getProperty("courier.test.receiver-keys"));
        char[] password = "courier-test-keys".toCharArray();
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(load(keys.resolve(keyStore), password), password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(keys.resolve("trust.p12"), password));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            store.load(in, password);
        }
        return store;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** HTTPS, a client certificate of the test CA required, and Courier's Basic credentials. */
    private static final class SecuredReceiver implements AutoCloseable {
        final Map<String, Integer> accepted = new ConcurrentHashMap<>();
        final Set<String> clients = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();
        private final HttpsServer server;

        private SecuredReceiver(HttpsServer server) {
            this.server = server;
        }

        static SecuredReceiver start(int port) throws Exception {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 100);
            SSLContext tls = tls("receiver.p12");
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    SSLParameters ssl = tls.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(true);
                    parameters.setSSLParameters(ssl);
                }
            });
            SecuredReceiver receiver = new SecuredReceiver(server);
            server.createContext("/in", receiver::handle);
            server.setExecutor(Executors.newFixedThreadPool(16));
            server.start();
            return receiver;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try {
                clients.add(((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName());
            } catch (SSLPeerUnverifiedException e) {
                refused.incrementAndGet();
                answer(exchange, 403, "client certificate required");
                return;
            }
            if (!basic(BASIC_USER, BASIC_PASSWORD).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"receiver\"");
                answer(exchange, 401, "bad credentials");
                return;
            }
            accepted.merge(exchange.getRequestHeaders().getFirst("Courier-Message-Id"), 1, Integer::sum);
            answer(exchange, 200, "");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Takes every delivery. */
    private static final class PlainReceiver implements AutoCloseable {
        final Map<String, Integer> accepted = new ConcurrentHashMap<>();
        private final HttpServer server;

        private PlainReceiver(HttpServer server) {
            this.server = server;
        }

        static PlainReceiver start(int port) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
            PlainReceiver receiver = new PlainReceiver(server);
            server.createContext("/in", exchange -> {
                receiver.accepted.merge(exchange.getRequestHeaders().getFirst("Courier-Message-Id"), 1, Integer::sum);
                answer(exchange, 200, "");
            });
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            return receiver;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** OAuth 2.0 client credentials (client_secret_basic); every token it issues lives an hour. */
    private static final class TokenEndpoint implements AutoCloseable {
        final AtomicInteger issued = new AtomicInteger();
        final Set<String> scopes = ConcurrentHashMap.newKeySet();
        final Set<String> tokens = ConcurrentHashMap.newKeySet();
        private final HttpServer server;

        private TokenEndpoint(HttpServer server) {
            this.server = server;
        }

        static TokenEndpoint start(int port) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            TokenEndpoint endpoint = new TokenEndpoint(server);
            server.createContext("/token", endpoint::handle);
            server.start();
            return endpoint;
        }

        private void handle(HttpExchange exchange) throws IOException {
            Map<String, String> form = new ConcurrentHashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] parts = pair.split("=", 2);
                if (parts.length == 2) {
                    form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (!"POST".equals(exchange.getRequestMethod()) || !"client_credentials".equals(form.get("grant_type"))
                    || !basic(CLIENT_ID, CLIENT_SECRET).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            scopes.add(String.valueOf(form.get("scope")));
            String token = "token-" + issued.incrementAndGet() + "-" + UUID.randomUUID();
            tokens.add(token);
            answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Takes a delivery only with a token its token endpoint issued. */
    private static final class BearerReceiver implements AutoCloseable {
        final Map<String, Integer> accepted = new ConcurrentHashMap<>();
        private final HttpServer server;

        private BearerReceiver(HttpServer server) {
            this.server = server;
        }

        static BearerReceiver start(int port, TokenEndpoint tokens) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
            BearerReceiver receiver = new BearerReceiver(server);
            server.createContext("/in", exchange -> {
                String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
                if (!authorization.startsWith("Bearer ") || !tokens.tokens.contains(authorization.substring(7))) {
                    answer(exchange, 401, "");
                    return;
                }
                receiver.accepted.merge(exchange.getRequestHeaders().getFirst("Courier-Message-Id"), 1, Integer::sum);
                answer(exchange, 200, "");
            });
            server.setExecutor(Executors.newFixedThreadPool(16));
            server.start();
            return receiver;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
