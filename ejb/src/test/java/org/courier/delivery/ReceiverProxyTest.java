package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Receivers behind an HTTP proxy, against a real proxy ({@link TestProxy}) and real receivers: an
 * http receiver's request is carried by the proxy, an https receiver is reached through a CONNECT
 * tunnel with TLS from end to end; a proxy that is down or refuses the tunnel is a plain failure
 * (nothing reached the receiver) that names the proxy.
 */
class ReceiverProxyTest {

    private static final TestCertificates CERTIFICATES = new TestCertificates("Courier Test CA");

    private ReceiverClient client;
    private HttpServer server;

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeConnections();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anHttpReceiversRequestGoesThroughTheProxy() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        URI url = httpReceiver(requests);
        try (TestProxy proxy = TestProxy.start()) {
            ReceiverResponse response = post(url, proxy.url(), null);

            assertThat(response.success()).as(response.error()).isTrue();
            assertThat(proxy.carried()).containsExactly("POST " + url);
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void anHttpsReceiverIsReachedThroughATunnelWithTlsToTheReceiver() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"));
             TestProxy proxy = TestProxy.start()) {
            ReceiverResponse response = post(receiver.url(), proxy.url(), CERTIFICATES.trusting());

            assertThat(response.success()).as(response.error()).isTrue();
            assertThat(proxy.carried()).containsExactly("CONNECT localhost:" + receiver.port());
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    @Test
    void throughTheTunnelTheReceiversCertificateIsCheckedForTheReceiversHostName() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("wrong.example"));
             TestProxy proxy = TestProxy.start()) {
            ReceiverResponse response = post(receiver.url(), proxy.url(), CERTIFICATES.trusting());

            assertThat(response.permanent()).isTrue();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error()).contains("is for CN=wrong.example/names [wrong.example], not host localhost");
            assertThat(receiver.requests()).isZero();
        }
    }

    @Test
    void aProxyThatIsDownIsAPlainFailureNamingTheProxy() throws Exception {
        URI down;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = URI.create("http://127.0.0.1:" + free.getLocalPort());
        }
        URI url = URI.create("http://127.0.0.1:9/in");

        ReceiverResponse response = post(url, down, null);

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isFalse();
        assertThat(response.inDoubt()).isFalse();
        assertThat(response.error()).isEqualTo("connection refused by proxy " + down + " (for " + url + ")");
    }

    @ParameterizedTest
    @CsvSource({"407, Proxy Authentication Required", "502, Bad Gateway"})
    void aProxyRefusingTheTunnelIsAPlainFailureWithItsAnswer(int status, String reason) throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"));
             TestProxy proxy = TestProxy.refusing(status)) {
            ReceiverResponse response = post(receiver.url(), proxy.url(), CERTIFICATES.trusting());

            assertThat(response.success()).isFalse();
            assertThat(response.permanent()).isFalse();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error()).isEqualTo("proxy " + proxy.url() + " answered CONNECT with " + status
                    + " " + reason + " for " + receiver.url());
            assertThat(receiver.requests()).isZero();
        }
    }

    @Test
    void anHttpReceiversProxyWantingCredentialsIsAPlainFailureNamingTheProxy() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        URI url = httpReceiver(requests);
        try (TestProxy proxy = TestProxy.refusing(407)) {
            ReceiverResponse response = post(url, proxy.url(), null);

            assertThat(response.permanent()).isFalse();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error()).isEqualTo("proxy " + proxy.url() + " answered 407 Proxy Authentication Required for " + url);
            assertThat(requests).hasValue(0);
        }
    }

    @Test
    void aProxyNotAnsweringTheConnectLeavesNothingInDoubt() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"));
             TestProxy proxy = TestProxy.silent()) {
            ReceiverResponse response = post(receiver.url(), proxy.url(), CERTIFICATES.trusting(), Duration.ofSeconds(1));

            assertThat(response.permanent()).isFalse();
            assertThat(response.inDoubt()).as("the tunnel never opened: nothing reached the receiver").isFalse();
            assertThat(response.error()).isEqualTo("no answer from proxy " + proxy.url() + " (for " + receiver.url() + ") within 1 s");
        }
    }

    @Test
    void aSynchronousCallThroughAProxyRefusingTheTunnelDidNotReachTheReceiver() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"));
             TestProxy proxy = TestProxy.refusing(407)) {
            SSLContext trusting = CERTIFICATES.trusting();
            client = new ReceiverClient(endpoint -> new ReceiverIdentity(trusting, null, null, "test"));

            CallReply reply = client.call(receiver(receiver.url(), proxy.url(), Tls.ELYTRON, Duration.ofSeconds(5)), "ERP", "Orders", null, "<order/>", false);

            assertThat(reply.kind()).isEqualTo(CallReply.Kind.UNREACHABLE);
            assertThat(reply.error()).isEqualTo("proxy " + proxy.url() + " answered CONNECT with 407 Proxy Authentication Required for "
                    + receiver.url());
        }
    }

    private URI httpReceiver(AtomicInteger requests) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/in", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in");
    }

    private ReceiverResponse post(URI url, URI proxy, SSLContext sslContext) {
        return post(url, proxy, sslContext, Duration.ofSeconds(5));
    }

    /** Through {@code proxy} to a receiver that is not idempotent, with {@code sslContext} (null: the server's default). */
    private ReceiverResponse post(URI url, URI proxy, SSLContext sslContext, Duration timeout) {
        client = new ReceiverClient(receiver -> new ReceiverIdentity(sslContext, null, null, "test"));
        return client.post(receiver(url, proxy, sslContext == null ? Tls.SERVER : Tls.ELYTRON, timeout), delivery(), false);
    }

    private static ReceiverEndpoint receiver(URI url, URI proxy, Tls tls, Duration timeout) {
        return new ReceiverEndpoint("proxied", url, timeout, false, InDoubtPolicy.HOLD, null, null,
                ReceiverProtocol.PLAIN, new ConnectionSettings(Authentication.NONE, null, null, tls, proxy, 0));
    }

    private static Delivery delivery() {
        return new ReceivedMessage("ERP", "m-1", "Orders", QualityOfService.EXACTLY_ONCE, null, "<order/>", "hash")
                .addDelivery("proxied");
    }
}
