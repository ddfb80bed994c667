package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.SoapCallFailed;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input gets a typed fault that says what is wrong and whether a retry can help, and
 * changes nothing stored (checked in the database).
 */
@ExtendWith(ArquillianExtension.class)
class BadInputIT {

    private final CourierClient courier = new CourierClient();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private TestReceiver alpha;
    private long messagesBefore;
    private long deliveriesBefore;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void snapshot() {
        alpha = TestReceiver.start(18081);
        messagesBefore = database.messagesTotal();
        deliveriesBefore = database.deliveriesTotal();
    }

    @AfterEach
    void stopReceiver() {
        alpha.close();
    }

    @Test
    void missingSenderIsRejected() {
        CourierFaultException fault = sendExpectingFault("", "Orders", newId(), "ExactlyOnce", null, order());

        assertFault(fault, "INVALID_REQUEST", false, "sender is missing");
        assertNothingStored();
    }

    @Test
    void emptyMessageIdIsRejected() {
        CourierFaultException fault = sendExpectingFault("ERP", "Orders", "", "ExactlyOnce", null, order());

        assertFault(fault, "INVALID_REQUEST", false, "messageId is missing");
        assertNothingStored();
    }

    @Test
    void overLongMessageIdIsRejected() {
        CourierFaultException fault = sendExpectingFault("ERP", "Orders", "x".repeat(201), "ExactlyOnce", null, order());

        assertFault(fault, "INVALID_REQUEST", false, "messageId");
        assertThat(fault.reason()).contains("1-200");
        assertNothingStored();
    }

    @Test
    void unknownInterfaceIsRejected() {
        CourierFaultException fault = sendExpectingFault("ERP", "NoSuchInterface", newId(), "ExactlyOnce", null, order());

        assertFault(fault, "UNKNOWN_INTERFACE", false, "NoSuchInterface");
        assertNothingStored();
    }

    @Test
    void payloadThatIsNotAnXmlElementIsRejected() {
        CourierFaultException fault = sendExpectingFault("ERP", "Orders", newId(), "ExactlyOnce", null, "just some text");

        assertFault(fault, "INVALID_REQUEST", false, "the payload holds text ('just some text') and no XML element");
        assertNothingStored();
    }

    @Test
    void payloadOfTwoSiblingElementsIsRejectedNotCutToOne() {
        CourierFaultException fault = sendExpectingFault("ERP", "Orders", newId(), "ExactlyOnce", null, "<a/><b/>");

        assertFault(fault, "INVALID_REQUEST", false, "the payload holds 2 sibling elements (<a>, <b>)");
        assertNothingStored();
    }

    @Test
    void aBatchItemOfTwoSiblingElementsIsRefusedAloneTheOtherIsAccepted() {
        String good = newId();
        String twoElements = newId();
        String envelope = "<soapenv:Envelope xmlns:soapenv=\"" + CourierClient.SOAP_ENVELOPE_NAMESPACE + "\" xmlns:cm=\""
                + CourierClient.NAMESPACE + "\"><soapenv:Body><cm:sendBatchRequest>"
                + batchItem(good, order()) + batchItem(twoElements, "<a/><b/>")
                + "</cm:sendBatchRequest></soapenv:Body></soapenv:Envelope>";

        HttpResponse<String> response = courier.post(envelope, CourierClient.NAMESPACE + "/sendBatch");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("ACCEPTED").contains("INVALID_REQUEST").contains("2 sibling elements");
        assertThat(database.messages("ERP", good)).isEqualTo(1);
        assertThat(database.messages("ERP", twoElements)).as("the refused item stored").isZero();
    }

    private static String batchItem(String id, String payload) {
        return "<cm:message><cm:sender>ERP</cm:sender><cm:interface>Orders</cm:interface><cm:messageId>" + id
                + "</cm:messageId><cm:qualityOfService>ExactlyOnce</cm:qualityOfService><cm:payload>" + payload
                + "</cm:payload></cm:message>";
    }

    @Test
    void payloadWithTextBesideItsElementIsRejected() {
        CourierFaultException fault = sendExpectingFault("ERP", "Orders", newId(), "ExactlyOnce", null, order() + "and more");

        assertFault(fault, "INVALID_REQUEST", false, "the payload holds text beside its element ('and more')");
        assertNothingStored();
    }

    /**
     * Not well-formed in an element, in a comment, in a processing instruction: a SOAP client
     * fault, nothing stored (the last two go through the payload capture, which reads comments
     * and instructions the data binding used to skip).
     */
    @Test
    void malformedXmlIsRejectedAsAClientError() {
        for (String payload : List.of("<order><id>1</order>", "<order><!-- never closed </order>", "<order><?pi never closed </order>")) {
            String envelope = """
                    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="http://courier.org/ns/messaging/v1">
                      <soapenv:Body><c:sendRequest><c:sender>ERP</c:sender><c:interface>Orders</c:interface>
                      <c:messageId>%s</c:messageId><c:qualityOfService>ExactlyOnce</c:qualityOfService>
                      <c:payload>%s</c:payload></c:sendRequest></soapenv:Body></soapenv:Envelope>
                    """.formatted(newId(), payload);

            HttpResponse<String> response = courier.post(envelope, "http://courier.org/ns/messaging/v1/send");

            assertThat(response.statusCode()).as(payload).isEqualTo(500);
            assertThat(response.body()).as(payload).contains("Fault", ":Client<");
        }
        assertNothingStored();
    }

    /** Latin-1 bytes in a request that says UTF-8: refused whole, never stored with its characters replaced. */
    @Test
    void aRequestWhoseBytesAreNotTheCharsetItDeclaresIsRefusedNotGarbled() {
        String id = newId();
        byte[] latin1 = CourierClient.sendEnvelope("ERP", "Orders", id, "ExactlyOnce", null,
                "<order note=\"Grüße\"/>").getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> answer = courier.post(latin1, "text/xml; charset=utf-8", CourierClient.NAMESPACE + "/send");

        assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 500);
        assertThat(answer.body()).contains("Fault").doesNotContain("ACCEPTED");
        assertNothingStored();
    }

    @Test
    void payloadOverTheLimitIsRejected() {
        String big = "<order>" + "x".repeat(5000) + "</order>";

        CourierFaultException fault = sendExpectingFault("ERP", "Orders", newId(), "ExactlyOnce", null, big);

        assertFault(fault, "PAYLOAD_TOO_LARGE", false, "over the limit of 4096 bytes");
        assertNothingStored();
    }

    @Test
    void sameIdWithADifferentPayloadIsAConflictNotADuplicate() {
        String id = newId();
        courier.send("ERP", "Orders", id, "<order><amount>1</amount></order>");
        await().atMost(Duration.ofSeconds(30)).until(() -> alpha.count(id) == 1);
        messagesBefore = database.messagesTotal();
        deliveriesBefore = database.deliveriesTotal();

        CourierFaultException fault = sendExpectingFault("ERP", "Orders", id, "ExactlyOnce", null, "<order><amount>999</amount></order>");

        assertFault(fault, "MESSAGE_ID_CONFLICT", false, "different payload");
        assertNothingStored();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alpha.count(id) == 1);
        assertThat(alpha.arrivalsOf(id).get(0).body()).contains("<amount>1</amount>");
    }

    @Test
    void bestEffortIsNotSupportedYet() {
        assertFault(sendExpectingFault("ERP", "Orders", newId(), "BestEffort", null, order()), "NOT_SUPPORTED", false, "BestEffort");
        assertNothingStored();
    }

    @Test
    void unknownQualityOfServiceAndStrayQueueIdAreRejected() {
        assertFault(sendExpectingFault("ERP", "Orders", newId(), "Sometimes", null, order()), "INVALID_REQUEST", false, "qualityOfService");
        assertFault(sendExpectingFault("ERP", "Orders", newId(), "ExactlyOnce", "Q1", order()), "INVALID_REQUEST", false, "queueId");
        assertNothingStored();
    }

    @Test
    void statusOfAnUnknownMessageIsAFault() {
        CourierFaultException fault = catchThrowableOfType(CourierFaultException.class, () -> courier.status("ERP", newId()));

        assertFault(fault, "UNKNOWN_MESSAGE", false, "was accepted");
    }

    @Test
    void wsdlIsPublishedWithTheVersionedContract() throws Exception {
        HttpResponse<String> wsdl = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/courier/CourierService?wsdl")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(wsdl.body()).contains("http://courier.org/ns/messaging/v1").contains("sendRequest").contains("courierFault");
    }

    /** The configuration's schema is served open, byte for byte the one in the repository (config/). */
    @Test
    void theConfigurationsSchemaIsServed() throws Exception {
        HttpResponse<byte[]> xsd = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/courier/config/courier-config-1.xsd")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(xsd.statusCode()).isEqualTo(200);
        assertThat(xsd.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/xml"));
        assertThat(xsd.body()).isEqualTo(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("..", "config", "courier-config-1.xsd")));
    }

    private CourierFaultException sendExpectingFault(String sender, String iface, String id, String qos, String queueId, String payload) {
        CourierFaultException fault = catchThrowableOfType(CourierFaultException.class,
                () -> courier.send(sender, iface, id, qos, queueId, payload));
        assertThat(fault).as("a CourierFault").isNotNull();
        return fault;
    }

    private static void assertFault(CourierFaultException fault, String code, boolean retryable, String reasonPart) {
        assertThat(fault.code()).isEqualTo(code);
        assertThat(fault.retryable()).isEqualTo(retryable);
        assertThat(fault.reason()).contains(reasonPart);
    }

    private void assertNothingStored() {
        assertThat(database.messagesTotal()).as("messages stored").isEqualTo(messagesBefore);
        assertThat(database.deliveriesTotal()).as("deliveries stored").isEqualTo(deliveriesBefore);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static String order() {
        return "<order xmlns=\"urn:example:orders\"><amount>42.00</amount></order>";
    }
}
