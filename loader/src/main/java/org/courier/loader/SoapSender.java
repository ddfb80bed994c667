package org.courier.loader;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** Calls Courier's {@code send} operation over SOAP 1.1 and reads the answer. */
public final class SoapSender {

    static final String NAMESPACE = "http://courier.org/ns/messaging/v1";
    static final String SEND_ACTION = NAMESPACE + "/send";
    static final String SEND_BATCH_ACTION = NAMESPACE + "/sendBatch";

    private final URI endpoint;
    private final Duration timeout;
    private final Credentials credentials;
    private final HttpClient http;

    /** A sender without credentials (only for a server that asks for none). */
    public SoapSender(URI endpoint, Duration timeout) {
        this(endpoint, timeout, null);
    }

    /** A sender that authenticates every request with HTTP Basic as {@code credentials} ({@code null}: none). */
    public SoapSender(URI endpoint, Duration timeout, Credentials credentials) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A Courier user and its password, sent as HTTP Basic credentials. */
    public record Credentials(String user, String password) {

        /** The value of the {@code Authorization} header. */
        public String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
        }

        @Override
        public String toString() {
            return user + ":****";
        }
    }

    /** One send: acknowledged, refused with a fault, or no answer at all (then nobody knows: send it again). */
    public Outcome send(Message message) {
        Answer answer = post(SEND_ACTION, envelope(message));
        return answer.failure() != null ? answer.failure() : parse(answer.status(), answer.body());
    }

    /**
     * One {@code sendBatch} call: an outcome per message, in order. A call without a usable
     * answer, or refused as a whole, gives every message that outcome.
     */
    public List<Outcome> sendBatch(List<Message> messages) {
        Answer answer = post(SEND_BATCH_ACTION, batchEnvelope(messages));
        List<Outcome> outcomes = answer.failure() != null ? List.of() : parseBatch(answer.status(), answer.body());
        if (outcomes.size() == messages.size()) {
            return outcomes;
        }
        Outcome whole = answer.failure() != null ? answer.failure() : parse(answer.status(), answer.body());
        if (whole.acknowledged()) {
            whole = Outcome.noAnswer("HTTP " + answer.status() + ": the batch answer does not have one item per message");
        }
        return Collections.nCopies(messages.size(), whole);
    }

    private Answer post(String action, String envelope) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + action + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, UTF_8));
        if (credentials != null) {
            request.header("Authorization", credentials.authorization());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            return new Answer(response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Answer(0, null,
                    Outcome.noAnswer(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, Outcome.noAnswer("interrupted"));
        }
    }

    private record Answer(int status, String body, Outcome failure) {
    }

    /** The SOAP envelope of a send request; the payload goes in verbatim, its XML declaration removed. */
    static String envelope(Message m) {
        StringBuilder xml = new StringBuilder(m.payload().length() + 512)
                .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\"")
                .append(NAMESPACE).append("\"><soapenv:Body><c:sendRequest>");
        fields(xml, m);
        return xml.append("</c:sendRequest></soapenv:Body></soapenv:Envelope>").toString();
    }

    /** The SOAP envelope of a sendBatch request. */
    static String batchEnvelope(List<Message> messages) {
        StringBuilder xml = new StringBuilder(messages.size() * 1500)
                .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\"")
                .append(NAMESPACE).append("\"><soapenv:Body><c:sendBatchRequest>");
        for (Message m : messages) {
            xml.append("<c:message>");
            fields(xml, m);
            xml.append("</c:message>");
        }
        return xml.append("</c:sendBatchRequest></soapenv:Body></soapenv:Envelope>").toString();
    }

    private static void fields(StringBuilder xml, Message m) {
        field(xml, "sender", m.sender());
        field(xml, "interface", m.interfaceName());
        field(xml, "messageId", m.messageId());
        field(xml, "qualityOfService", m.qualityOfService());
        if (m.queueId() != null) {
            field(xml, "queueId", m.queueId());
        }
        xml.append("<c:payload>").append(withoutDeclaration(m.payload())).append("</c:payload>");
    }

    /** Reads a batchAcknowledgement: one outcome per item; empty when the answer is not one. */
    static List<Outcome> parseBatch(int status, String body) {
        Document document;
        try {
            document = parseXml(body);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return List.of();
        }
        NodeList items = document.getElementsByTagNameNS(NAMESPACE, "item");
        List<Outcome> outcomes = new ArrayList<>(items.getLength());
        for (int i = 0; i < items.getLength(); i++) {
            Element item = (Element) items.item(i);
            NodeList acks = item.getElementsByTagNameNS(NAMESPACE, "acknowledgement");
            if (acks.getLength() > 0) {
                outcomes.add(acknowledgement((Element) acks.item(0)));
            } else {
                outcomes.add(Outcome.fault(text(item, "code"), Boolean.parseBoolean(text(item, "retryable")),
                        text(item, "reason")));
            }
        }
        return outcomes;
    }

    private static Outcome acknowledgement(Element ack) {
        String result = text(ack, "result");
        String sequence = text(ack, "sequence");
        return "DUPLICATE".equals(result)
                ? Outcome.duplicate(sequence == null ? null : Long.valueOf(sequence.trim()))
                : Outcome.accepted(sequence == null ? null : Long.valueOf(sequence.trim()));
    }

    /** Reads Courier's answer: an acknowledgement, a courierFault, or anything else (no usable answer). */
    static Outcome parse(int status, String body) {
        if (status == 401) {
            return Outcome.fault("NOT_AUTHENTICATED", false, "HTTP 401: Courier wants a user and password (--user)"
                    + " and did not take these");
        }
        if (status == 403) {
            return Outcome.fault("FORBIDDEN", false, "HTTP 403: this user does not have the role sender");
        }
        Document document;
        try {
            document = parseXml(body);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return Outcome.noAnswer("HTTP " + status + " without a SOAP answer");
        }
        Element ack = first(document, NAMESPACE, "acknowledgement");
        if (ack != null) {
            return acknowledgement(ack);
        }
        Element fault = first(document, NAMESPACE, "courierFault");
        if (fault != null) {
            return Outcome.fault(text(fault, "code"), Boolean.parseBoolean(text(fault, "retryable")), text(fault, "reason"));
        }
        Element soapFault = first(document, "http://schemas.xmlsoap.org/soap/envelope/", "Fault");
        String faultString = soapFault == null ? null : plainText(soapFault, "faultstring");
        return Outcome.noAnswer("HTTP " + status + (faultString == null ? " without an acknowledgement" : ": " + faultString));
    }

    private static void field(StringBuilder xml, String name, String value) {
        xml.append("<c:").append(name).append('>').append(escape(value)).append("</c:").append(name).append('>');
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String withoutDeclaration(String payload) {
        String trimmed = payload.strip();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.startsWith("<?xml")) {
            int end = trimmed.indexOf("?>");
            return end < 0 ? trimmed : trimmed.substring(end + 2).strip();
        }
        return trimmed;
    }

    private static Document parseXml(String body) throws ParserConfigurationException, SAXException, IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setExpandEntityReferences(false);
        var builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new DefaultHandler());
        return builder.parse(new InputSource(new StringReader(body)));
    }

    private static Element first(Document document, String namespace, String name) {
        NodeList nodes = document.getElementsByTagNameNS(namespace, name);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(NAMESPACE, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static String plainText(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** What one message is sent with. {@code queueId} only for ExactlyOnceInOrder. */
    public record Message(String sender, String interfaceName, String messageId, String qualityOfService,
                          String queueId, String payload) {
    }

    /** How a send ended. */
    public record Outcome(Kind kind, Long sequence, String faultCode, boolean retryable, String detail) {

        public enum Kind { ACCEPTED, DUPLICATE, FAULT, NO_ANSWER }

        static Outcome accepted(Long sequence) {
            return new Outcome(Kind.ACCEPTED, sequence, null, false, null);
        }

        static Outcome duplicate(Long sequence) {
            return new Outcome(Kind.DUPLICATE, sequence, null, false, null);
        }

        static Outcome fault(String code, boolean retryable, String reason) {
            return new Outcome(Kind.FAULT, null, code, retryable, reason);
        }

        static Outcome noAnswer(String detail) {
            return new Outcome(Kind.NO_ANSWER, null, null, true, detail);
        }

        /** Acknowledged: ACCEPTED now or DUPLICATE of an earlier send. */
        public boolean acknowledged() {
            return kind == Kind.ACCEPTED || kind == Kind.DUPLICATE;
        }

        /** Sending the same message again may help: no answer, or a retryable fault. */
        public boolean worthRetrying() {
            return kind == Kind.NO_ANSWER || kind == Kind.FAULT && retryable;
        }
    }
}
