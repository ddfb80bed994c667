package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
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

/**
 * https receivers against real TLS servers with certificates of a test CA: a receiver is reached
 * with its own SSL context or the server's default one, its host name always checked; a
 * certificate Courier does not accept, or a client certificate the receiver wants and did not
 * get, is refused for good with an error that says what to do, and is never in doubt (nothing
 * was sent).
 */
class ReceiverTlsTest {

    private static final TestCertificates CERTIFICATES = new TestCertificates("Courier Test CA");

    private ReceiverClient client;

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.closeConnections();
        }
    }

    @Test
    void aReceiverWhoseCaTheReceiversSslContextTrustsIsDelivered() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"))) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, CERTIFICATES.trusting(), false);

            assertThat(response.success()).as(response.error()).isTrue();
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    @Test
    void theServersDefaultTrustDoesNotKnowTheCaAndTheDeliveryIsRefusedForGood() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"))) {
            ReceiverResponse response = post(receiver.url(), Tls.SERVER, null, false);

            assertThat(response.permanent()).isTrue();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error())
                    .startsWith("TLS: the certificate of " + receiver.url() + " is not trusted (PKIX path building failed")
                    .endsWith(": add its CA to the receiver's trust store (tls=\"elytron\") or the server's, then resend");
            assertThat(receiver.requests()).isZero();
        }
    }

    @Test
    void anUntrustedCertificateOfAReceiverThatIsNotIdempotentIsNotInDoubt() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(new TestCertificates("Unknown CA").server("localhost"))) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, CERTIFICATES.trusting(), false);

            assertThat(response.success()).isFalse();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.permanent()).isTrue();
            assertThat(response.error()).contains("is not trusted");
        }
    }

    @Test
    void anExpiredCertificateIsRefusedForGoodWithItsEndDate() throws Exception {
        TestCertificates.Issued expired = CERTIFICATES.expired();
        try (TlsReceiver receiver = TlsReceiver.start(expired)) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, CERTIFICATES.trusting(), true);

            assertThat(response.permanent()).isTrue();
            assertThat(response.inDoubt()).isFalse();
            LocalDate end = expired.certificate().getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            assertThat(response.error()).startsWith("TLS: the certificate of " + receiver.url() + " (CN=localhost) has expired on " + end)
                    .endsWith("the receiver needs a valid certificate, then resend");
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedForGoodAndNamesBoth() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("wrong.example"))) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, CERTIFICATES.trusting(), false);

            assertThat(response.permanent()).isTrue();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error()).startsWith("TLS: the certificate of " + receiver.url()
                    + " is for CN=wrong.example/names [wrong.example], not host localhost: ");
            assertThat(receiver.requests()).isZero();
        }
    }

    @Test
    void aReceiverDemandingAClientCertificateGetsTheOneOfTheReceiversSslContext() throws Exception {
        SSLContext withClientCertificate = TestCertificates.context(CERTIFICATES.client("courier"), CERTIFICATES.ca());
        try (TlsReceiver receiver = TlsReceiver.demandingClientCertificate(CERTIFICATES.server("localhost"), CERTIFICATES.ca())) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, withClientCertificate, false);

            assertThat(response.success()).as(response.error()).isTrue();
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    @Test
    void aReceiverDemandingAClientCertificateAndGettingNoneIsRefusedForGood() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.demandingClientCertificate(CERTIFICATES.server("localhost"), CERTIFICATES.ca())) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, CERTIFICATES.trusting(), false);

            assertThat(response.permanent()).as(response.error()).isTrue();
            assertThat(response.inDoubt()).isFalse();
            assertThat(response.error()).startsWith("TLS: " + receiver.url() + " wants a client certificate")
                    .contains("tls=\"elytron\" with a key manager");
            assertThat(receiver.requests()).isZero();
        }
    }

    @Test
    void aReceiverThatOnlyAsksForAClientCertificateIsDeliveredWithout() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.wishingClientCertificate(CERTIFICATES.server("localhost"), CERTIFICATES.ca())) {
            ReceiverResponse response = post(receiver.url(), Tls.ELYTRON, CERTIFICATES.trusting(), false);

            assertThat(response.success()).as(response.error()).isTrue();
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    @Test
    void aSynchronousCallToAReceiverWithAnUntrustedCertificateDidNotReachIt() throws Exception {
        try (TlsReceiver receiver = TlsReceiver.start(CERTIFICATES.server("localhost"))) {
            client = new ReceiverClient(endpoint -> ReceiverIdentity.NONE);

            CallReply reply = client.call(receiver(receiver.url(), Tls.SERVER, false), "ERP", "Orders", null, "<order/>", false);

            assertThat(reply.kind()).isEqualTo(CallReply.Kind.UNREACHABLE);
            assertThat(reply.error()).startsWith("TLS: the certificate of " + receiver.url() + " is not trusted");
        }
    }

    private ReceiverResponse post(URI url, Tls tls, SSLContext sslContext, boolean idempotent) {
        client = new ReceiverClient(receiver -> new ReceiverIdentity(sslContext, null, null, "test"));
        return client.post(receiver(url, tls, idempotent), delivery(), false);
    }

    private static ReceiverEndpoint receiver(URI url, Tls tls, boolean idempotent) {
        return new ReceiverEndpoint("tls", url, Duration.ofSeconds(5), idempotent, InDoubtPolicy.HOLD, null, null,
                ReceiverProtocol.PLAIN, new ConnectionSettings(Authentication.NONE, null, null, tls, null, 0));
    }

    private static Delivery delivery() {
        return new ReceivedMessage("ERP", "m-1", "Orders", QualityOfService.EXACTLY_ONCE, null, "<order/>", "hash")
                .addDelivery("tls");
    }
}
