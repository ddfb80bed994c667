package org.courier.delivery;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HttpClientHostnameVerifier;

/**
 * HttpClient's host name check of a receiver's certificate ({@link DefaultHostnameVerifier}), always
 * on, whose refusal names what the certificate is for: its subject and its alternative names.
 */
final class ReceiverHostnameVerifier implements HttpClientHostnameVerifier {

    private static final DefaultHostnameVerifier CHECK = new DefaultHostnameVerifier();

    @Override
    public void verify(String host, X509Certificate certificate) throws SSLException {
        try {
            CHECK.verify(host, certificate);
        } catch (SSLException e) {
            SSLPeerUnverifiedException named = new SSLPeerUnverifiedException(
                    "is for " + certificate.getSubjectX500Principal().getName() + "/names " + names(certificate) + ", not host " + host);
            named.initCause(e);
            throw named;
        }
    }

    @Override
    public boolean verify(String host, SSLSession session) {
        return CHECK.verify(host, session);
    }

    private static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.forEach(name -> names.add(String.valueOf(name.get(1))));
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable: " + e.getMessage());
        }
        return names;
    }
}
