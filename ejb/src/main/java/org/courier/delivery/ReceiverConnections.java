package org.courier.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.courier.routing.ReceiverEndpoint;

/**
 * The connections to each receiver (Apache HttpClient 5, one client and pool per receiver).
 *
 * <p><b>No false doubts.</b> A connection a receiver has closed must never carry a delivery: the
 * request would go out on a dead socket, no answer would come, and a delivery the receiver never
 * saw would look in doubt. HTTP cannot tell a request that reached the receiver from one that did
 * not once it went out on a connection kept from before, so:
 * <ul>
 *   <li>a receiver that is not idempotent gets a new connection for every request (sent with
 *       {@code Connection: close}): a delivery without an answer then really may have reached it;</li>
 *   <li>an idempotent receiver's connections are kept for the next delivery, each checked before
 *       reuse once idle for {@value #VALIDATE_AFTER_MILLIS} ms, kept idle no longer than the receiver's
 *       {@code Keep-Alive} says or {@link #KEEP_IDLE} at most, and a request that found its kept
 *       connection closed without any answer is sent again at once (the receiver deduplicates).</li>
 * </ul>
 * Connections a receiver closes with its answer ({@code Connection: close}, HTTP/1.0) are never reused.
 *
 * <p>An https receiver is reached with its identity's SSL context, or the server's default one,
 * its host name always checked ({@link ReceiverTls}). A receiver with a proxy is reached through
 * it: https by a CONNECT tunnel, TLS from end to end.
 *
 * <p>Clients are made on first use for a receiver's settings, each with its
 * {@link ReceiverAuthentication} (the credentials; for OAuth 2.0 the kept token); a receiver whose
 * settings change gets a new client, and the old ones are closed when Courier stops.
 */
final class ReceiverConnections implements AutoCloseable {

    /** The longest an idle connection is kept for an idempotent receiver's next delivery. */
    static final Duration KEEP_IDLE = Duration.ofSeconds(30);
    static final long VALIDATE_AFTER_MILLIS = 500;
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Connections per receiver: more than the delivery threads, so that none waits for a connection. */
    private static final int MAX_CONNECTIONS = 400;
    /** The pool state of every kept connection; a retry asks for another state, so that the pool opens a new connection. */
    private static final Object KEPT = new Object() {
        @Override
        public String toString() {
            return "kept";
        }
    };

    private record Client(ReceiverEndpoint receiver, ReceiverIdentity identity, CloseableHttpClient http,
                          ReceiverAuthentication authentication) {
    }

    private final ReceiverIdentities identities;
    private final Clock clock;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final List<CloseableHttpClient> retired = new CopyOnWriteArrayList<>();

    ReceiverConnections(ReceiverIdentities identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
    }

    /** The client for this receiver's current settings. */
    CloseableHttpClient of(ReceiverEndpoint receiver) {
        return client(receiver).http();
    }

    /** How requests to this receiver, with its current settings, carry its credentials. */
    ReceiverAuthentication authentication(ReceiverEndpoint receiver) {
        return client(receiver).authentication();
    }

    private Client client(ReceiverEndpoint receiver) {
        Client client = clients.get(receiver.name());
        if (client != null && client.receiver().equals(receiver)) {
            return client;
        }
        return clients.compute(receiver.name(), (name, existing) -> {
            if (existing != null && existing.receiver().equals(receiver)) {
                return existing;
            }
            if (existing != null) {
                // deliveries may still be on its connections: closed when Courier stops
                retired.add(existing.http());
            }
            ReceiverIdentity identity = identities.of(receiver);
            CloseableHttpClient http = build(receiver, identity);
            return new Client(receiver, identity, http, ReceiverAuthentication.of(receiver, identity, http, clock));
        });
    }

    /** Whether each request to this receiver goes on a connection of its own. */
    static boolean connectionPerRequest(ReceiverEndpoint receiver) {
        return !receiver.idempotent();
    }

    static Duration connectTimeout(ReceiverEndpoint receiver) {
        return receiver.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? receiver.timeout() : MAX_CONNECT_TIMEOUT;
    }

    private static CloseableHttpClient build(ReceiverEndpoint receiver, ReceiverIdentity identity) {
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout(receiver)))
                .setSocketTimeout(Timeout.of(receiver.timeout()))
                .setValidateAfterInactivity(TimeValue.ofMilliseconds(VALIDATE_AFTER_MILLIS))
                .build();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(connection)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setTlsSocketStrategy(tls(identity))
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setProxy(receiver.connection().proxyUrl().map(ReceiverConnections::proxy).orElse(null))
                .setKeepAliveStrategy(ReceiverConnections::keepIdle)
                .setRetryStrategy(receiver.idempotent() ? new SendAgainOnClosedConnection() : new NeverAgain())
                .addExecInterceptorFirst("courier-kept-lease", ReceiverConnections::leaseKept)
                .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "courier-kept-release",
                        ReceiverConnections::releaseKept)
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("Courier")
                .build();
    }

    /**
     * TLS 1.3 or 1.2 with the identity's SSL context, or the server's default one (so that the
     * server's trust settings apply), and the receiver's host name always checked against its
     * certificate (through a proxy as well: the tunnel ends at the receiver).
     */
    private static TlsSocketStrategy tls(ReceiverIdentity identity) {
        return new ReceiverTls(ClientTlsStrategyBuilder.create()
                .setSslContext(identity.sslContext() != null ? identity.sslContext() : serverDefault())
                .setTlsVersions(TLS.V_1_3, TLS.V_1_2)
                .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                .setHostnameVerifier(new ReceiverHostnameVerifier())
                .buildClassic());
    }

    private static SSLContext serverDefault() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the server has no default SSL context", e);
        }
    }

    private static HttpHost proxy(URI proxy) {
        return new HttpHost(proxy.getScheme(), proxy.getHost(), proxy.getPort());
    }

    /**
     * Every request asks the pool for a connection in the state {@link #KEPT} (the pool hands out a
     * kept connection only to a request asking for its state; without any, it also hands out one
     * whose state is unset), unless a retry asked for a new connection ({@link SendAgainOnClosedConnection}).
     */
    private static ClassicHttpResponse leaseKept(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        if (scope.clientContext.getUserToken() == null) {
            scope.clientContext.setUserToken(KEPT);
        }
        return chain.proceed(request, scope);
    }

    /** The connection, once leased, goes back to the pool in the state {@link #KEPT}: a retry's new connection is kept too. */
    private static ClassicHttpResponse releaseKept(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        scope.clientContext.setUserToken(KEPT);
        return chain.proceed(request, scope);
    }

    /** The receiver's Keep-Alive timeout if it names one, at most {@link #KEEP_IDLE}. */
    private static TimeValue keepIdle(HttpResponse response, HttpContext context) {
        TimeValue announced = DefaultConnectionKeepAliveStrategy.INSTANCE.getKeepAliveDuration(response, context);
        return TimeValue.isPositive(announced) && announced.toMilliseconds() < KEEP_IDLE.toMillis()
                ? announced : TimeValue.of(KEEP_IDLE);
    }

    @Override
    public void close() {
        clients.values().forEach(client -> client.http().close(CloseMode.GRACEFUL));
        retired.forEach(http -> http.close(CloseMode.GRACEFUL));
        clients.clear();
        retired.clear();
    }

    /** Courier decides about every retry itself: HttpClient sends nothing again, and never asks for an answer again. */
    private static class NeverAgain implements HttpRequestRetryStrategy {
        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }

    /**
     * An idempotent receiver's request that went out on a kept connection the receiver had closed
     * meanwhile (no answer at all, or the connection reset; not a timeout, not a refused connection)
     * is sent again at once, on a new connection: it asks the pool for a state no pooled connection
     * has (every one is {@link #KEPT}), so that no other kept connection the receiver may have closed
     * too can take it, however many come back to the pool meanwhile; that new connection is then
     * kept like any other. A request is sent at most {@value #MAX_SENDS} times.
     */
    private static final class SendAgainOnClosedConnection extends NeverAgain {

        private static final int MAX_SENDS = 3;

        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            boolean again = execCount < MAX_SENDS && (exception instanceof NoHttpResponseException
                    || exception instanceof SocketException && !(exception instanceof ConnectException));
            if (again) {
                HttpClientContext.castOrCreate(context).setUserToken(new Object());
            }
            return again;
        }
    }
}
