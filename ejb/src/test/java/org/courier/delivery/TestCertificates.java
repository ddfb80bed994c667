package org.courier.delivery;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.wildfly.security.x500.GeneralName;
import org.wildfly.security.x500.cert.BasicConstraintsExtension;
import org.wildfly.security.x500.cert.SelfSignedX509CertificateAndSigningKey;
import org.wildfly.security.x500.cert.SubjectAlternativeNamesExtension;
import org.wildfly.security.x500.cert.X509CertificateBuilder;

/**
 * A test CA of its own, and the certificates it issues: for receivers (by host name, valid or
 * expired) and for Courier as a client. Keys are EC P-256, made fresh for every test run.
 */
final class TestCertificates {

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final char[] PASSWORD = "test".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(2);

    /** A certificate with its key. */
    record Issued(X509Certificate certificate, PrivateKey key, X509Certificate ca) {
    }

    private final SelfSignedX509CertificateAndSigningKey ca;

    TestCertificates(String name) {
        ca = SelfSignedX509CertificateAndSigningKey.builder()
                .setDn(new X500Principal("CN=" + name))
                .setKeyAlgorithmName("EC")
                .setKeySize(256)
                .setSignatureAlgorithmName(SIGNATURE)
                .addExtension(new BasicConstraintsExtension(true, true, 0))
                .build();
    }

    X509Certificate ca() {
        return ca.getSelfSignedCertificate();
    }

    /** A receiver's certificate for {@code host} (DNS name and, for localhost, 127.0.0.1), valid now. */
    Issued server(String host) throws GeneralSecurityException {
        return issue("CN=" + host, host, ZonedDateTime.now().minusDays(1), ZonedDateTime.now().plusDays(30));
    }

    /** A receiver's certificate for localhost that expired yesterday. */
    Issued expired() throws GeneralSecurityException {
        return issue("CN=localhost", "localhost", ZonedDateTime.now().minusDays(30), ZonedDateTime.now().minusDays(1));
    }

    /** Courier's certificate as a client. */
    Issued client(String name) throws GeneralSecurityException {
        return issue("CN=" + name, null, ZonedDateTime.now().minusDays(1), ZonedDateTime.now().plusDays(30));
    }

    /** An SSL context trusting this CA only, without a key. */
    SSLContext trusting() throws Exception {
        return context(null, ca());
    }

    /** An SSL context presenting {@code own} and trusting {@code trusted} only ({@code null}: nothing of its own). */
    static SSLContext context(Issued own, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (own != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("own", own.key(), PASSWORD, new X509Certificate[] {own.certificate(), own.ca()});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private Issued issue(String subject, String host, ZonedDateTime from, ZonedDateTime until) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X509CertificateBuilder builder = new X509CertificateBuilder()
                .setIssuerDn(ca().getSubjectX500Principal())
                .setSubjectDn(new X500Principal(subject))
                .setSerialNumber(BigInteger.valueOf(SERIAL.getAndIncrement()))
                .setPublicKey(keys.getPublic())
                .setSigningKey(ca.getSigningKey())
                .setSignatureAlgorithmName(SIGNATURE)
                .setNotValidBefore(from)
                .setNotValidAfter(until);
        if (host != null) {
            List<GeneralName> names = host.equals("localhost")
                    ? List.of(new GeneralName.DNSName(host), new GeneralName.IPAddress("127.0.0.1"))
                    : List.of(new GeneralName.DNSName(host));
            builder.addExtension(new SubjectAlternativeNamesExtension(false, names));
        }
        return new Issued(builder.build(), keys.getPrivate(), ca());
    }
}
