package org.courier.delivery;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The TLS handshake with a receiver, certain to have ended before a request goes out: any failure
 * of it is a {@link TlsFailure}.
 *
 * <p>In TLS 1.3 the client finishes its part of the handshake before the receiver has looked at
 * its certificate, so a receiver that asked for a client certificate and got none refuses only
 * afterwards, and its refusal would meet the request on the wire and look like a request left
 * without an answer (in doubt). So when the receiver asked and Courier had none to give, Courier
 * waits up to {@link #REFUSAL_WAIT} for the refusal before it sends anything; a receiver that only
 * wished for a certificate says nothing and gets the request.
 */
final class ReceiverTls implements TlsSocketStrategy {

    static final Duration REFUSAL_WAIT = Duration.ofSeconds(1);

    private final TlsSocketStrategy handshake;

    ReceiverTls(TlsSocketStrategy handshake) {
        this.handshake = handshake;
    }

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context) throws IOException {
        try {
            SSLSocket tls = handshake.upgrade(socket, target, port, attachment, context);
            if (clientCertificateAskedNoneGiven(tls.getSession())) {
                awaitRefusal(tls);
            }
            return tls;
        } catch (IOException e) {
            throw TlsFailure.handshake(e);
        }
    }

    private static boolean clientCertificateAskedNoneGiven(SSLSession session) {
        return "TLSv1.3".equals(session.getProtocol()) && session.getLocalCertificates() == null
                && session instanceof ExtendedSSLSession extended && extended.getPeerSupportedSignatureAlgorithms().length > 0;
    }

    private static void awaitRefusal(SSLSocket tls) throws IOException {
        int timeout = tls.getSoTimeout();
        tls.setSoTimeout((int) REFUSAL_WAIT.toMillis());
        String refusal;
        try {
            // nothing comes before a request but a refusal: an alert, or the connection closed
            refusal = tls.getInputStream().read() < 0 ? "closed the connection after the handshake" : "sent data before any request";
        } catch (SocketTimeoutException e) {
            tls.setSoTimeout(timeout);
            return;
        } catch (IOException e) {
            refusal = e.getMessage();
        }
        tls.close();
        throw TlsFailure.clientCertificateWanted("it asked for one, got none and " + refusal);
    }
}
