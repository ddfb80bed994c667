package org.courier.web.sap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.courier.content.XmlPayload;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.courier.routing.SapRmChannel;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** What the SAP RM and XI edges read from a request before anything is stored: its text, its headers, its payload. */
class SapFramingTest {

    private static final SapRmChannel CHANNEL = new SapRmChannel("orders", "ERP", "Orders");
    private static final String GUID = "6f1c2d3e-4a5b-11ee-8c90-0242ac120002";
    private static final String ENVELOPE = "<s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP_11 + "\"><s:Body>"
            + "<order xmlns=\"urn:o\" note=\"Grüße 𝄞\"/></s:Body></s:Envelope>";

    @Test
    void aBodyInTheCharsetItsContentTypeDeclaresIsReadAsTheSameText() {
        for (String charset : new String[] {"UTF-8", "UTF-16", "UTF-16LE", "ISO-8859-1"}) {
            String envelope = charset.equals("ISO-8859-1") ? ENVELOPE.replace(" 𝄞", "") : ENVELOPE;
            assertThat(SapInboundServlet.text(envelope.getBytes(java.nio.charset.Charset.forName(charset)), charset))
                    .as(charset).isEqualTo(envelope);
        }
        assertThat(SapInboundServlet.text(ENVELOPE.getBytes(StandardCharsets.UTF_8), null)).as("no charset: UTF-8")
                .isEqualTo(ENVELOPE);
        assertThat(SapInboundServlet.text(("\uFEFF" + ENVELOPE).getBytes(StandardCharsets.UTF_8), null))
                .as("a byte order mark is not text").isEqualTo(ENVELOPE);
    }

    @Test
    void bytesThatAreNotTextInTheDeclaredCharsetAreRefusedNotReplaced() {
        byte[] latin1 = ENVELOPE.replace(" 𝄞", "").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> SapInboundServlet.text(latin1, "UTF-8")).isInstanceOf(RequestRejected.class)
                .hasMessage("the request body is not UTF-8 text (the charset its Content-Type declares): its bytes would"
                        + " have to be changed to be read")
                .extracting(e -> ((RequestRejected) e).code()).isEqualTo(FaultCode.INVALID_REQUEST);
        assertThatThrownBy(() -> SapInboundServlet.text(latin1, null)).hasMessageContaining("so UTF-8");
        assertThatThrownBy(() -> SapInboundServlet.text(latin1, "x-no-such-charset"))
                .hasMessage("the request's charset 'x-no-such-charset' is not one Courier can read: send UTF-8");
        assertThatThrownBy(() -> SapInboundServlet.text(latin1, "not a charset name"))
                .hasMessageContaining("'not a charset name' is not one Courier can read");
    }

    @Test
    void anXiEnvelopeGivesItsHeadersAndItsPayloadNamespaceComplete() {
        SapInboundServlet.Inbound inbound = XiServlet.inbound(SoapEnvelope.parse(xi(
                "<xi:MessageId>" + GUID.toUpperCase().replace("-", "") + "</xi:MessageId><xi:Sender><xi:Service>ERP"
                        + "</xi:Service></xi:Sender><xi:Interface namespace=\"urn:sap\">Orders</xi:Interface>",
                "<xi:QualityOfService>ExactlyOnceInOrder</xi:QualityOfService><xi:QueueId>Q1</xi:QueueId>")));

        assertThat(inbound).isEqualTo(new SapInboundServlet.Inbound("ERP", "Orders", GUID, "ExactlyOnceInOrder", "Q1",
                "<p:order xmlns:p=\"urn:p\"/>"));
    }

    @Test
    void anXiEnvelopeWithoutItsHeadersIsRefusedSayingWhichIsMissing() {
        assertThatThrownBy(() -> XiServlet.inbound(SoapEnvelope.parse(ENVELOPE)))
                .hasMessageContaining("no XI message header");
        assertThatThrownBy(() -> XiServlet.inbound(SoapEnvelope.parse(xi("<xi:MessageId>nope</xi:MessageId>", ""))))
                .hasMessageContaining("Main/MessageId 'nope' is not");
        assertThatThrownBy(() -> XiServlet.inbound(SoapEnvelope.parse(xi("<xi:MessageId>" + GUID + "</xi:MessageId>"
                + "<xi:Sender><xi:Service>ERP</xi:Service></xi:Sender><xi:Interface>Orders</xi:Interface>",
                "<xi:QualityOfService>Sometimes</xi:QualityOfService>"))))
                .hasMessageContaining("'Sometimes' is not ExactlyOnce, ExactlyOnceInOrder or BestEffort");
    }

    @Test
    void anSapRmRequestTakesItsIdFromTheUrlOrTheHeaderAndItsQualityOfServiceFromTheUrl() {
        Map<String, String> url = Map.of("MessageId", "urn:uuid:" + GUID.toUpperCase(), "QueueId", "Q7");
        SapInboundServlet.Inbound inbound = SapRmServlet.inbound(CHANNEL, url::get, SoapEnvelope.parse(ENVELOPE));
        assertThat(inbound).extracting(SapInboundServlet.Inbound::sender, SapInboundServlet.Inbound::interfaceName,
                SapInboundServlet.Inbound::messageId, SapInboundServlet.Inbound::qualityOfService,
                SapInboundServlet.Inbound::queueId).containsExactly("ERP", "Orders", GUID, "ExactlyOnceInOrder", "Q7");
        // the same XML; a character outside the BMP in an attribute may be written as a character reference
        Element order = XmlPayload.parse(inbound.payload()).getDocumentElement();
        assertThat(order.getNamespaceURI()).isEqualTo("urn:o");
        assertThat(order.getAttribute("note")).isEqualTo("Grüße 𝄞");

        String withHeader = ENVELOPE.replace("<s:Body>", "<s:Header><m:messageId xmlns:m=\"" + SapRmServlet.MESSAGE_ID_NS
                + "\">" + GUID + "</m:messageId></s:Header><s:Body>");
        assertThat(SapRmServlet.inbound(CHANNEL, name -> null, SoapEnvelope.parse(withHeader)))
                .extracting(SapInboundServlet.Inbound::messageId, SapInboundServlet.Inbound::qualityOfService)
                .containsExactly(GUID, "ExactlyOnce");
    }

    @Test
    void anSapRmRequestWithoutAUsableIdOrWithAStrayQueueIdIsRefused() {
        SoapEnvelope envelope = SoapEnvelope.parse(ENVELOPE);
        assertThatThrownBy(() -> SapRmServlet.inbound(CHANNEL, name -> null, envelope))
                .hasMessageStartingWith("MessageId is missing");
        Map<String, String> bestEffortInQueue = Map.of("MessageId", GUID, "QueueId", "Q", "QualityOfService", "BestEffort");
        assertThatThrownBy(() -> SapRmServlet.inbound(CHANNEL, bestEffortInQueue::get, envelope))
                .hasMessage("QueueId is only allowed with ExactlyOnceInOrder, not with BestEffort");
    }

    private static String xi(String main, String reliable) {
        return "<s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP_11 + "\" xmlns:xi=\"" + XiServlet.XI_NS + "\" xmlns:p=\"urn:p\">"
                + "<s:Header><xi:Main>" + main + "</xi:Main><xi:ReliableMessaging>" + reliable + "</xi:ReliableMessaging>"
                + "</s:Header><s:Body><p:order/></s:Body></s:Envelope>";
    }
}
