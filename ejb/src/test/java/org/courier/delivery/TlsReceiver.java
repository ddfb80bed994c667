package org.courier.delivery;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real https receiver on a local port (the JDK's {@link HttpsServer}) that answers 200 to every
 * request and counts them; it may demand, or only ask for, a client certificate of a given CA.
 */
final class TlsReceiver implements AutoCloseable {

    private final HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private TlsReceiver(TestCertificates.Issued own, X509Certificate clientCa, boolean demand) throws Exception {
        SSLContext context = TestCertificates.context(own, clientCa != null ? clientCa : own.ca());
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                if (demand) {
                    ssl.setNeedClientAuth(true);
                } else {
                    ssl.setWantClientAuth(clientCa != null);
                }
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/in", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Presenting {@code own}, no client certificate wanted. */
    static TlsReceiver start(TestCertificates.Issued own) throws Exception {
        return new TlsReceiver(own, null, false);
    }

    /** Presenting {@code own}, and refusing clients without a certificate issued by {@code clientCa}. */
    static TlsReceiver demandingClientCertificate(TestCertificates.Issued own, X509Certificate clientCa) throws Exception {
        return new TlsReceiver(own, clientCa, true);
    }

    /** Presenting {@code own}, and asking for a client certificate by {@code clientCa} that it can do without. */
    static TlsReceiver wishingClientCertificate(TestCertificates.Issued own, X509Certificate clientCa) throws Exception {
        return new TlsReceiver(own, clientCa, false);
    }

    URI url() {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/in");
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests it read and answered. */
    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
