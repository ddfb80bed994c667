package org.courier.delivery;

import org.courier.content.XmlPayload;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.courier.message.Delivery;
import org.courier.message.ReceivedMessage;

/**
 * How a delivery is framed for SAP receivers. SAP RM: the payload in a SOAP 1.1 body, the id,
 * quality of service and queue id as URL parameters. XI 3.0: the payload in a SOAP 1.1 body, the
 * XI message header ({@code Main}, {@code ReliableMessaging}) in the SOAP header. The id is the
 * delivery's id for the receiver (mapped to its id format, a GUID).
 */
final class SapFraming {

    static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String XI_30 = "http://sap.com/xi/XI/Message/30";

    private SapFraming() {
    }

    /** The receiver's URL with {@code MessageId}, {@code QualityOfService} and, in order, {@code QueueId}. */
    static URI sapRmUrl(URI base, Delivery delivery) {
        StringBuilder query = new StringBuilder(base.getRawQuery() == null ? "" : base.getRawQuery() + "&");
        query.append("MessageId=").append(encode(delivery.messageIdForReceiver()));
        query.append("&QualityOfService=").append(delivery.isInOrder() ? "ExactlyOnceInOrder" : "ExactlyOnce");
        if (delivery.isInOrder()) {
            query.append("&QueueId=").append(encode(delivery.message().queueId()));
        }
        String url = base.toString();
        int cut = url.indexOf('?');
        return URI.create((cut < 0 ? url : url.substring(0, cut)) + "?" + query);
    }

    static String soapEnvelope(String payload) {
        return "<soap:Envelope xmlns:soap=\"" + SOAP_11 + "\"><soap:Body>" + payload + "</soap:Body></soap:Envelope>";
    }

    /** An XI 3.0 message: Main (id, time sent, sender service, interface) and ReliableMessaging headers. */
    static String xiEnvelope(Delivery delivery) {
        ReceivedMessage message = delivery.message();
        StringBuilder xml = new StringBuilder(512 + delivery.payloadForReceiver().length());
        xml.append("<soap:Envelope xmlns:soap=\"").append(SOAP_11).append("\" xmlns:SAP=\"").append(XI_30).append("\">")
                .append("<soap:Header>")
                .append("<SAP:Main versionMajor=\"3\" versionMinor=\"0\" soap:mustUnderstand=\"1\">")
                .append("<SAP:MessageClass>ApplicationMessage</SAP:MessageClass>")
                .append("<SAP:ProcessingMode>asynchronous</SAP:ProcessingMode>")
                .append("<SAP:MessageId>").append(XmlPayload.escape(delivery.messageIdForReceiver())).append("</SAP:MessageId>")
                .append("<SAP:TimeSent>").append(Instant.now()).append("</SAP:TimeSent>")
                .append("<SAP:Sender><SAP:Service>").append(XmlPayload.escape(message.sender())).append("</SAP:Service></SAP:Sender>")
                .append("<SAP:Interface>").append(XmlPayload.escape(message.interfaceName())).append("</SAP:Interface>")
                .append("</SAP:Main>")
                .append("<SAP:ReliableMessaging soap:mustUnderstand=\"1\">")
                .append("<SAP:QualityOfService>").append(delivery.isInOrder() ? "ExactlyOnceInOrder" : "ExactlyOnce")
                .append("</SAP:QualityOfService>");
        if (delivery.isInOrder()) {
            xml.append("<SAP:QueueId>").append(XmlPayload.escape(message.queueId())).append("</SAP:QueueId>");
        }
        return xml.append("</SAP:ReliableMessaging></soap:Header><soap:Body>").append(delivery.payloadForReceiver())
                .append("</soap:Body></soap:Envelope>").toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
