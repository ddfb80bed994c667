package org.courier.delivery;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A TLS handshake with a receiver that failed: the request certainly did not reach it.
 *
 * <p>A receiver certificate Courier does not accept (not trusted, expired or not yet valid, for
 * another host) and a client certificate the receiver wants and did not get are for an operator
 * to fix: sending again cannot help, so the delivery is refused for good, and its error says what
 * is wrong and what to do before resending. Any other handshake failure (a connection reset or
 * closed mid-handshake, a timeout) may pass by itself: a plain failure, tried again.
 */
final class TlsFailure extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the handshake tells. */
    enum Reason { NOT_TRUSTED, NOT_VALID_NOW, WRONG_HOST, CLIENT_CERTIFICATE_WANTED, OTHER }

    private final Reason reason;

    private TlsFailure(IOException handshake) {
        super(handshake.getMessage(), handshake);
        this.reason = reasonOf(handshake);
    }

    private TlsFailure(String message, Reason reason) {
        super(message);
        this.reason = reason;
    }

    /** Whatever broke a handshake. */
    static TlsFailure handshake(IOException e) {
        return e instanceof TlsFailure failure ? failure : new TlsFailure(e);
    }

    /** A receiver that refused the connection after it asked for a client certificate and got none. */
    static TlsFailure clientCertificateWanted(String refusal) {
        return new TlsFailure(refusal, Reason.CLIENT_CERTIFICATE_WANTED);
    }

    /**
     * The failed handshake behind an exception of a request, or {@code null}. A handshake failure
     * can also come with the answer (a receiver's refusal of a TLS 1.3 client certificate it found
     * wanting after {@link ReceiverTls#REFUSAL_WAIT}), and the receiver processes nothing then either.
     */
    static TlsFailure of(IOException e) {
        if (e instanceof TlsFailure failure) {
            return failure;
        }
        return e instanceof SSLHandshakeException ? new TlsFailure(e) : null;
    }

    /** Whether only an operator can make the handshake succeed. */
    boolean permanent() {
        return reason != Reason.OTHER;
    }

    /** The error for the operator: what is wrong with the receiver at {@code url}, and what to do. */
    String text(URI url) {
        return switch (reason) {
            case NOT_TRUSTED -> "TLS: the certificate of " + url + " is not trusted (" + detail(CertificateException.class)
                    + "): add its CA to the receiver's trust store (tls=\"elytron\") or the server's, then resend";
            case NOT_VALID_NOW -> "TLS: the certificate of " + url + validity()
                    + ": the receiver needs a valid certificate, then resend";
            case WRONG_HOST -> "TLS: the certificate of " + url + " " + detail(SSLPeerUnverifiedException.class)
                    + ": use a host name the certificate names in the receiver's URL, or have the receiver's certificate"
                    + " reissued for " + url.getHost() + ", then resend";
            case CLIENT_CERTIFICATE_WANTED -> "TLS: " + url + " wants a client certificate ("
                    + getMessage() + "): give the receiver tls=\"elytron\" with a key manager whose certificate the receiver"
                    + " trusts, then resend";
            case OTHER -> "TLS handshake with " + url + " failed: " + getMessage() + (closedByReceiver()
                    ? " (the receiver ended the connection mid-handshake; a receiver does this when it wants a client"
                    + " certificate Courier does not present: give it tls=\"elytron\" with a key manager; tried again)" : "");
        };
    }

    private static Reason reasonOf(IOException handshake) {
        if (anyCause(handshake, cause -> cause instanceof CertificateExpiredException
                || cause instanceof CertificateNotYetValidException)) {
            return Reason.NOT_VALID_NOW;
        }
        if (anyCause(handshake, cause -> cause instanceof SSLPeerUnverifiedException
                || names(cause, "No subject alternative", "No name matching"))) {
            return Reason.WRONG_HOST;
        }
        if (anyCause(handshake, cause -> cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException
                || names(cause, "PKIX path"))) {
            return Reason.NOT_TRUSTED;
        }
        if (anyCause(handshake, cause -> names(cause, "certificate_required", "bad_certificate",
                "Received fatal alert: certificate_unknown"))) {
            return Reason.CLIENT_CERTIFICATE_WANTED;
        }
        return Reason.OTHER;
    }

    /** Whether the receiver closed or reset the connection during the handshake, without saying why. */
    private boolean closedByReceiver() {
        return anyCause(this, cause -> cause instanceof SocketException || cause instanceof EOFException
                || names(cause, "Remote host terminated the handshake", "Broken pipe", "Connection reset"));
    }

    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean names(Throwable cause, String... words) {
        String message = cause.getMessage();
        return message != null && Arrays.stream(words).anyMatch(message::contains);
    }

    /** The message of the first cause of this kind, else the handshake's. */
    private String detail(Class<? extends Throwable> kind) {
        for (Throwable cause = this; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause) && cause.getMessage() != null) {
                return cause.getMessage().replace("sun.security.provider.certpath.SunCertPathBuilderException: ", "");
            }
        }
        return getMessage();
    }

    /** " (subject) has expired on …", read from the certificate path that failed, if the failure names it. */
    private String validity() {
        for (Throwable cause = this; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathValidatorException invalid && invalid.getCertPath() != null && invalid.getIndex() >= 0) {
                Certificate failed = invalid.getCertPath().getCertificates().get(invalid.getIndex());
                if (failed instanceof X509Certificate certificate) {
                    Instant notAfter = certificate.getNotAfter().toInstant();
                    return " (" + certificate.getSubjectX500Principal().getName() + ")" + (notAfter.isBefore(Instant.now())
                            ? " has expired on " + notAfter : " is not valid before " + certificate.getNotBefore().toInstant());
                }
            }
        }
        return " is not valid now (" + getMessage() + ")";
    }
}
