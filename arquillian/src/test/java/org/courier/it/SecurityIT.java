package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.courier.it.support.InOrderTestData.hex;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may do what, against the real server's Elytron realm (users of
 * {@code arquillian/src/test/cli/test-users.cli}): without credentials nothing gets in; a sender
 * user sends as, and reads the status of, only the senders it is bound to; the monitor role reads
 * but cannot act; the admin role acts; XML with a DTD or external entity is refused on every
 * sender edge and stores nothing. Route {@code Orders} (any sender) → receiver alpha, which is not
 * running: deliveries wait, which is all these tests need.
 */
@ExtendWith(ArquillianExtension.class)
class SecurityIT {

    static final TestUser ALICE = new TestUser("alice", "alice-password");   // sender, bound to SEC-A
    static final TestUser BOB = new TestUser("bob", "bob-password");         // sender, bound to SEC-B
    static final TestUser WATCHER = new TestUser("watcher", "watcher-password"); // monitor
    static final TestUser BOSS = new TestUser("boss", "boss-password");      // admin

    private static final URI BASE = URI.create("http://127.0.0.1:8080/courier/");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ORDER = "<order xmlns=\"urn:example:orders\"><amount>1.00</amount></order>";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void withoutCredentialsEverythingButTheWsdlAnswers401() throws Exception {
        String id = "anon-" + hex(8);
        String send = CourierClient.sendEnvelope("SEC-A", "Orders", id, CourierClient.EXACTLY_ONCE, null, ORDER);
        assertUnauthorized(request("CourierService").header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + CourierClient.SEND_ACTION + "\"").POST(body(send)));
        assertUnauthorized(request("rm/erp-orders?MessageId=" + UUID.randomUUID()).header("Content-Type", "text/xml")
                .POST(body(soap(ORDER))));
        assertUnauthorized(request("xi").header("Content-Type", "text/xml").POST(body(soap(ORDER))));
        assertUnauthorized(request("api/failures").GET());
        assertUnauthorized(request("api/failures/resend-all?receiver=alpha").POST(HttpRequest.BodyPublishers.noBody()));
        assertUnauthorized(new TestUser(WATCHER.name(), "wrong").authorize(request("api/failures")).GET());
        assertThat(database.messages("SEC-A", id)).isZero();

        HttpResponse<String> wsdl = HTTP.send(request("CourierService?wsdl").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(wsdl.body()).contains("NOT_AUTHORIZED");
    }

    @Test
    void aSenderSendsAsItsOwnSenderOnlyAndNothingIsStoredOtherwise() {
        String id = "sec-" + hex(8);
        assertThat(courier.as(ALICE).send("SEC-A", "Orders", id, ORDER).result()).isEqualTo("ACCEPTED");

        String other = "sec-" + hex(8);
        assertThatThrownBy(() -> courier.as(ALICE).send("SEC-B", "Orders", other, ORDER))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("NOT_AUTHORIZED");
                    assertThat(fault.retryable()).isFalse();
                    assertThat(fault.reason()).contains("alice").contains("SEC-B");
                });
        assertThatThrownBy(() -> courier.as(ALICE).call("SEC-B", "Quote", other, ORDER))
                .isInstanceOfSatisfying(CourierFaultException.class, f -> assertThat(f.code()).isEqualTo("NOT_AUTHORIZED"));
        assertThat(database.messages("SEC-B", other)).isZero();
        assertThat(database.messages("SEC-A", id)).isEqualTo(1);
    }

    @Test
    void aBatchWithAMessageOfAnotherSenderIsRefusedWhole() {
        String mine = "sec-" + hex(8);
        String theirs = "sec-" + hex(8);
        String batch = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\""
                + CourierClient.NAMESPACE + "\"><soapenv:Body><c:sendBatchRequest>"
                + batchItem("SEC-A", mine) + batchItem("SEC-B", theirs)
                + "</c:sendBatchRequest></soapenv:Body></soapenv:Envelope>";

        HttpResponse<String> answer = courier.as(ALICE).post(batch, CourierClient.NAMESPACE + "/sendBatch");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).contains("NOT_AUTHORIZED").contains("SEC-B");
        assertThat(database.messages("SEC-A", mine)).isZero();
        assertThat(database.messages("SEC-B", theirs)).isZero();
    }

    @Test
    void aSenderReadsTheStatusOfItsOwnMessagesOnly() {
        String id = "sec-" + hex(8);
        courier.as(BOB).send("SEC-B", "Orders", id, ORDER);

        assertThat(courier.as(BOB).status("SEC-B", id).messageId()).isEqualTo(id);
        assertThatThrownBy(() -> courier.as(ALICE).status("SEC-B", id))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("NOT_AUTHORIZED");
                    assertThat(fault.reason()).contains("SEC-B");
                });
    }

    @Test
    void sapEdgesBindTheUserToTheChannelsOrHeadersSender() throws Exception {
        // Channel erp-orders sends as RMERP: alice is not bound to it.
        String guid = UUID.randomUUID().toString();
        HttpResponse<String> rm = HTTP.send(ALICE.authorize(request("rm/erp-orders?MessageId=" + guid))
                .header("Content-Type", "text/xml").POST(body(soap(ORDER))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rm.statusCode()).isEqualTo(500);
        assertThat(rm.body()).contains("NOT_AUTHORIZED").contains("RMERP");
        assertThat(database.messages("RMERP", guid)).isZero();
    }

    @Test
    void theMonitorRoleReadsButCannotActAndTheAdminRoleActs() throws Exception {
        assertThat(admin.as(WATCHER).raw("GET", "/failures", Map.of()).statusCode()).isEqualTo(200);
        assertThat(admin.as(WATCHER).raw("POST", "/failures/resend-all", Map.of("receiver", "alpha")).statusCode())
                .isEqualTo(403);
        assertThat(admin.as(WATCHER).raw("PUT", "/queue/policy",
                Map.of("sender", "SEC-A", "queueId", "Q1", "policy", "SKIP")).statusCode()).isEqualTo(403);
        assertThat(admin.as(ALICE).raw("GET", "/failures", Map.of()).statusCode()).isEqualTo(403);

        assertThat(admin.as(BOSS).raw("POST", "/failures/resend-all", Map.of("receiver", "alpha")).statusCode())
                .isEqualTo(200);
        assertThat(admin.as(BOSS).raw("GET", "/failures", Map.of()).statusCode()).isEqualTo(200);

        // Neither operator role may send.
        HttpResponse<String> send = courier.as(BOSS).post(CourierClient.sendEnvelope("SEC-A", "Orders", "sec-" + hex(8),
                CourierClient.EXACTLY_ONCE, null, ORDER), CourierClient.SEND_ACTION);
        assertThat(send.statusCode()).isEqualTo(403);
    }

    @Test
    void xmlWithADoctypeOrExternalEntityIsRefusedOnEverySenderEdgeAndStoresNothing() throws Exception {
        Path secret = Files.createTempFile("courier-xxe", ".txt");
        String marker = "SECRET-" + hex(12);
        Files.writeString(secret, marker);
        String doctype = "<!DOCTYPE order [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>";
        String entityPayload = "<order xmlns=\"urn:example:orders\"><amount>&xxe;</amount></order>";
        try {
            String id = "xxe-" + hex(8);
            String envelope = "<?xml version=\"1.0\"?>" + doctype.replace("order [", "soapenv:Envelope [")
                    + CourierClient.sendEnvelope("SEC-A", "Orders", id, CourierClient.EXACTLY_ONCE, null, entityPayload)
                            .replaceFirst("^<\\?xml[^>]*\\?>", "");
            HttpResponse<String> soap = courier.post(envelope, CourierClient.SEND_ACTION);
            assertThat(soap.statusCode()).isEqualTo(500);
            assertThat(soap.body()).doesNotContain(marker);
            assertThat(database.messages("SEC-A", id)).isZero();

            String guid = UUID.randomUUID().toString();
            String rmEnvelope = "<?xml version=\"1.0\"?>" + doctype.replace("order [", "soap:Envelope [") + soap(entityPayload);
            HttpResponse<String> rm = HTTP.send(TestUser.INTEGRATION.authorize(request("rm/erp-orders?MessageId=" + guid))
                    .header("Content-Type", "text/xml").POST(body(rmEnvelope)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rm.statusCode()).isEqualTo(500);
            assertThat(rm.body()).contains("INVALID_REQUEST").contains("DOCTYPE").doesNotContain(marker);
            assertThat(database.messages("RMERP", guid)).isZero();

            HttpResponse<String> xi = HTTP.send(TestUser.INTEGRATION.authorize(request("xi"))
                    .header("Content-Type", "text/xml").POST(body(rmEnvelope)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(xi.statusCode()).isEqualTo(500);
            assertThat(xi.body()).contains("INVALID_REQUEST").contains("DOCTYPE").doesNotContain(marker);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    private static void assertUnauthorized(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(request.build().uri().toString()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).anySatisfy(h -> assertThat(h).startsWith("Basic"));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(BASE.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text, UTF_8);
    }

    private static String soap(String payload) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>" + payload
                + "</soap:Body></soap:Envelope>";
    }

    private static String batchItem(String sender, String id) {
        return "<c:message><c:sender>" + sender + "</c:sender><c:interface>Orders</c:interface><c:messageId>" + id
                + "</c:messageId><c:qualityOfService>ExactlyOnce</c:qualityOfService><c:payload>" + ORDER
                + "</c:payload></c:message>";
    }
}
