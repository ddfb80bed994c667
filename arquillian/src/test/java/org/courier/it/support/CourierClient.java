package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.awaitility.Awaitility;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * A raw SOAP 1.1 client of Courier's messaging contract v1 ({@code courier-v1.wsdl}), written
 * without JAX-WS so that the tests check the contract on the wire: envelopes are built as text
 * and answers are parsed with DOM, matching elements by namespace and local name.
 *
 * <p>Instances are immutable and thread-safe; all of them share one HTTP/1.1 client.
 */
public final class CourierClient {

    /** The namespace of the contract. */
    public static final String NAMESPACE = "http://courier.org/ns/messaging/v1";
    /** The SOAP 1.1 envelope namespace. */
    public static final String SOAP_ENVELOPE_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/";
    /** The SOAPAction of the {@code send} operation. */
    public static final String SEND_ACTION = NAMESPACE + "/send";
    /** The SOAPAction of the {@code status} operation. */
    public static final String STATUS_ACTION = NAMESPACE + "/status";
    /** The SOAPAction of {@code call}. */
    public static final String CALL_ACTION = NAMESPACE + "/call";
    /** The endpoint of a locally running server. */
    public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:8080/courier/CourierService");
    /** The quality of service of the short {@code send}. */
    public static final String EXACTLY_ONCE = "ExactlyOnce";
    /** The quality of service of {@link #sendInOrder(String, String, String, String, String)}. */
    public static final String EXACTLY_ONCE_IN_ORDER = "ExactlyOnceInOrder";

    private static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final String ENVELOPE_START = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soapenv:Envelope xmlns:soapenv=\"" + SOAP_ENVELOPE_NAMESPACE + "\""
            + " xmlns:cm=\"" + NAMESPACE + "\"><soapenv:Header/><soapenv:Body>";
    private static final String ENVELOPE_END = "</soapenv:Body></soapenv:Envelope>";

    /** Reports parse errors by exception only, instead of printing them to stderr. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // ignored
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    private final URI endpoint;

    private final TestUser user;

    /** A client of the server at {@link #DEFAULT_ENDPOINT}. */
    public CourierClient() {
        this(DEFAULT_ENDPOINT);
    }

    /** A client of the server at the given endpoint, as {@link TestUser#INTEGRATION}. */
    public CourierClient(URI endpoint) {
        this(endpoint, TestUser.INTEGRATION);
    }

    /** A client of the server at the given endpoint, as the given user. */
    public CourierClient(URI endpoint, TestUser user) {
        this.endpoint = endpoint;
        this.user = user;
    }

    /** The same client, calling as another user. */
    public CourierClient as(TestUser other) {
        return new CourierClient(endpoint, other);
    }

    /** A client of the server at {@link #DEFAULT_ENDPOINT}. */
    public static CourierClient local() {
        return new CourierClient();
    }

    /** The endpoint this client calls. */
    public URI endpoint() {
        return endpoint;
    }

    /** Sends with quality of service {@code ExactlyOnce} and no queue id. */
    public Acknowledgement send(String sender, String interfaceName, String messageId, String payloadXml) {
        return send(sender, interfaceName, messageId, EXACTLY_ONCE, null, payloadXml);
    }

    /**
     * Sends with quality of service {@code ExactlyOnceInOrder} in the queue {@code queueId} of this
     * sender; the acknowledgement carries the queue id and the message's sequence in it.
     */
    public Acknowledgement sendInOrder(String sender, String interfaceName, String messageId, String queueId,
                                       String payloadXml) {
        return send(sender, interfaceName, messageId, EXACTLY_ONCE_IN_ORDER, queueId, payloadXml);
    }

    /**
     * Sends the messages {@code ids} of queue {@code queueId} one after the other, each only once the
     * one before is acknowledged, as an in-order sender must; a message without an answer or with a
     * retryable fault is sent again (same id) until {@code deadline}. Fails unless each is ACCEPTED.
     */
    public void sendInOrderAccepted(String sender, String interfaceName, String queueId, List<String> ids, Duration deadline) {
        for (String id : ids) {
            Acknowledgement ack = Awaitility.await().atMost(deadline)
                    .ignoreExceptionsMatching(e -> e instanceof UncheckedIOException
                            || e instanceof CourierFaultException fault && fault.retryable())
                    .until(() -> sendInOrder(sender, interfaceName, id, queueId, InOrderTestData.order(queueId, id)), a -> true);
            if (!"ACCEPTED".equals(ack.result())) {
                throw new AssertionError("in-order message " + id + " answered " + ack.result() + ", not ACCEPTED");
            }
        }
    }

    /**
     * Calls {@code send}. The text fields are XML-escaped; a {@code null} field leaves its element
     * out. {@code payloadXml} is put verbatim inside {@code <payload>} (left out when {@code null}).
     *
     * @throws CourierFaultException when Courier refuses the message with a {@code courierFault}
     * @throws SoapCallFailed on any other answer than an acknowledgement
     */
    public Acknowledgement send(String sender, String interfaceName, String messageId, String qos,
                                String queueId, String payloadXml) {
        String envelope = sendEnvelope(sender, interfaceName, messageId, qos, queueId, payloadXml);
        HttpResponse<String> response = post(envelope, SEND_ACTION);
        return parseAcknowledgement(response.statusCode(), response.body());
    }

    /**
     * Calls {@code status}.
     *
     * @throws CourierFaultException e.g. with code {@code UNKNOWN_MESSAGE}
     * @throws SoapCallFailed on any other answer than a message status
     */
    public MessageStatus status(String sender, String messageId) {
        HttpResponse<String> response = post(statusEnvelope(sender, messageId), STATUS_ACTION);
        return parseMessageStatus(response.statusCode(), response.body());
    }

    /**
     * Calls {@code call} (Best Effort, synchronous); {@code messageId} may be {@code null}.
     *
     * @throws CourierFaultException when Courier answers with a {@code courierFault}
     * @throws SoapCallFailed on any other answer than a call response
     */
    public CallAnswer call(String sender, String interfaceName, String messageId, String payloadXml) {
        StringBuilder xml = new StringBuilder(ENVELOPE_START).append("<cm:callRequest>");
        field(xml, "sender", sender);
        field(xml, "interface", interfaceName);
        field(xml, "messageId", messageId);
        if (payloadXml != null) {
            xml.append("<cm:payload>").append(payloadXml).append("</cm:payload>");
        }
        xml.append("</cm:callRequest>").append(ENVELOPE_END);
        HttpResponse<String> response = post(xml.toString(), CALL_ACTION);
        Element answer = expectResponse(response.statusCode(), response.body(), "callResponse");
        List<Element> payload = children(answer, NAMESPACE, "payload");
        Element content = null;
        if (!payload.isEmpty()) {
            for (Node node = payload.get(0).getFirstChild(); node != null && content == null; node = node.getNextSibling()) {
                content = node instanceof Element element ? element : null;
            }
        }
        return new CallAnswer(text(answer, "sender"), text(answer, "messageId"), text(answer, "receiver"),
                Integer.parseInt(text(answer, "status").trim()), parseBoolean(text(answer, "replay")),
                text(answer, "respondedAt"), content, text(answer, "text"));
    }

    /**
     * POSTs an envelope as it is, for tests of broken requests. The SOAPAction header is quoted
     * as SOAP 1.1 asks and left out when {@code soapAction} is {@code null}.
     */
    public HttpResponse<String> post(String rawEnvelope, String soapAction) {
        return post(rawEnvelope.getBytes(UTF_8), CONTENT_TYPE, soapAction);
    }

    /** POSTs these bytes as they are, with this {@code Content-Type}: for tests of charsets. */
    public HttpResponse<String> post(byte[] body, String contentType, String soapAction) {
        HttpRequest.Builder request = user.authorize(HttpRequest.newBuilder(endpoint))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body));
        if (soapAction != null) {
            request.header("SOAPAction", quoted(soapAction));
        }
        return execute(request.build());
    }

    /** The envelope {@link #send(String, String, String, String, String, String)} posts. */
    public static String sendEnvelope(String sender, String interfaceName, String messageId, String qos,
                                      String queueId, String payloadXml) {
        StringBuilder xml = new StringBuilder(ENVELOPE_START).append("<cm:sendRequest>");
        field(xml, "sender", sender);
        field(xml, "interface", interfaceName);
        field(xml, "messageId", messageId);
        field(xml, "qualityOfService", qos);
        field(xml, "queueId", queueId);
        if (payloadXml != null) {
            xml.append("<cm:payload>").append(payloadXml).append("</cm:payload>");
        }
        return xml.append("</cm:sendRequest>").append(ENVELOPE_END).toString();
    }

    /** The envelope {@link #status(String, String)} posts. */
    public static String statusEnvelope(String sender, String messageId) {
        StringBuilder xml = new StringBuilder(ENVELOPE_START).append("<cm:statusRequest>");
        field(xml, "sender", sender);
        field(xml, "messageId", messageId);
        return xml.append("</cm:statusRequest>").append(ENVELOPE_END).toString();
    }

    /** Escapes text for use as XML element content or attribute value. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                case '\r' -> escaped.append("&#13;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Turns a {@code send} answer into an acknowledgement or the matching exception. */
    static Acknowledgement parseAcknowledgement(int httpStatus, String body) {
        Element ack = expectResponse(httpStatus, body, "acknowledgement");
        return new Acknowledgement(text(ack, "sender"), text(ack, "messageId"),
                text(ack, "result"), text(ack, "acceptedAt"), text(ack, "queueId"),
                parseLong(httpStatus, body, text(ack, "sequence"), "sequence"));
    }

    /** Turns a {@code status} answer into a message status or the matching exception. */
    static MessageStatus parseMessageStatus(int httpStatus, String body) {
        Element status = expectResponse(httpStatus, body, "messageStatus");
        List<ReceiverDelivery> deliveries = new ArrayList<>();
        for (Element delivery : children(status, NAMESPACE, "delivery")) {
            deliveries.add(parseDelivery(httpStatus, body, delivery));
        }
        return new MessageStatus(text(status, "sender"), text(status, "messageId"),
                text(status, "interface"), text(status, "qualityOfService"),
                text(status, "acceptedAt"), text(status, "queueId"),
                parseLong(httpStatus, body, text(status, "sequence"), "sequence"), deliveries, text(status, "acceptedBy"));
    }

    private static ReceiverDelivery parseDelivery(int httpStatus, String body, Element delivery) {
        String attempts = text(delivery, "attempts");
        if (attempts == null) {
            throw new SoapCallFailed(httpStatus, body, "a delivery without attempts");
        }
        return new ReceiverDelivery(text(delivery, "receiver"), text(delivery, "state"),
                Integer.parseInt(attempts.trim()), text(delivery, "lastError"), text(delivery, "deliveredAt"),
                text(delivery, "heldBehind"), text(delivery, "lastAttemptAt"), text(delivery, "nextAttemptAt"),
                Optional.ofNullable(text(delivery, "possibleDuplicates")).map(String::trim).map(Long::parseLong).orElse(0L),
                text(delivery, "deliveredBy"));
    }

    /**
     * An xs:dateTime (or ISO-8601) text as an instant: with {@code Z} or an offset as written,
     * without a zone as UTC; {@code null} for {@code null}.
     *
     * @throws IllegalArgumentException when the text is no date-time
     */
    public static Instant instant(String dateTime) {
        if (dateTime == null) {
            return null;
        }
        String text = dateTime.trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a date-time: '" + dateTime + "'", e);
            }
        }
    }

    /** An optional xs:long element: {@code null} when absent. */
    private static Long parseLong(int httpStatus, String body, String xsLong, String element) {
        if (xsLong == null) {
            return null;
        }
        try {
            return Long.valueOf(xsLong.trim());
        } catch (NumberFormatException e) {
            throw new SoapCallFailed(httpStatus, body, element + " is not an xs:long: '" + xsLong + "'");
        }
    }

    /** The response element of a 200 answer; throws for faults and anything unexpected. */
    private static Element expectResponse(int httpStatus, String body, String localName) {
        Document document = parseOrNull(body);
        if (document != null) {
            throwIfCourierFault(document, httpStatus);
        }
        if (httpStatus != 200) {
            throw new SoapCallFailed(httpStatus, body, "SOAP call failed");
        }
        if (document == null) {
            throw new SoapCallFailed(httpStatus, body, "the answer is not XML");
        }
        Element response = firstDescendant(soapBody(document), NAMESPACE, localName);
        if (response == null) {
            throw new SoapCallFailed(httpStatus, body, "no " + localName + " in the answer");
        }
        return response;
    }

    private static void throwIfCourierFault(Document document, int httpStatus) {
        Element fault = firstDescendant(soapBody(document), SOAP_ENVELOPE_NAMESPACE, "Fault");
        Element detail = fault == null ? null : firstDescendant(fault, NAMESPACE, "courierFault");
        if (detail != null) {
            throw new CourierFaultException(text(detail, "code"), parseBoolean(text(detail, "retryable")),
                    text(detail, "reason"), faultPart(fault, "faultcode"), faultPart(fault, "faultstring"),
                    httpStatus);
        }
    }

    private static boolean parseBoolean(String xsBoolean) {
        String value = xsBoolean == null ? "" : xsBoolean.trim();
        return value.equals("true") || value.equals("1");
    }

    /** A child of a SOAP 1.1 Fault: unqualified by the spec, tolerated in the envelope namespace. */
    private static String faultPart(Element fault, String localName) {
        for (Node node = fault.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && localName.equals(child.getLocalName())
                    && (child.getNamespaceURI() == null || SOAP_ENVELOPE_NAMESPACE.equals(child.getNamespaceURI()))) {
                return child.getTextContent();
            }
        }
        return null;
    }

    /** The SOAP Body, or the document element when the answer is no envelope. */
    private static Element soapBody(Document document) {
        Element root = document.getDocumentElement();
        List<Element> bodies = children(root, SOAP_ENVELOPE_NAMESPACE, "Body");
        return bodies.isEmpty() ? root : bodies.get(0);
    }

    /** The text of the first child in the contract namespace with that name, or {@code null}. */
    private static String text(Element parent, String localName) {
        List<Element> found = children(parent, NAMESPACE, localName);
        return found.isEmpty() ? null : found.get(0).getTextContent();
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && localName.equals(child.getLocalName())
                    && namespace.equals(child.getNamespaceURI())) {
                found.add(child);
            }
        }
        return found;
    }

    private static Element firstDescendant(Element parent, String namespace, String localName) {
        NodeList found = parent.getElementsByTagNameNS(namespace, localName);
        return found.getLength() == 0 ? null : (Element) found.item(0);
    }

    /** Parses namespace-aware with DTDs refused; {@code null} when the text is not XML. */
    static Document parseOrNull(String xml) {
        if (xml == null || xml.isBlank()) {
            return null;
        }
        try {
            return newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException notXml) {
            return null;
        }
    }

    private static DocumentBuilder newDocumentBuilder() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no suitable XML parser", e);
        }
    }

    private static void field(StringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append("<cm:").append(name).append('>').append(escape(value))
                    .append("</cm:").append(name).append('>');
        }
    }

    private static String quoted(String soapAction) {
        return soapAction.startsWith("\"") ? soapAction : '"' + soapAction + '"';
    }

    private static HttpResponse<String> execute(HttpRequest request) {
        try {
            return HTTP.send(request, BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.uri(), e);
        }
    }

    /**
     * The answer to {@code call}: the receiver's status and response ({@code payload}: its XML
     * body's root element, or {@code null}; {@code text}: a non-XML body), and whether it is
     * a stored response given again ({@code replay}).
     */
    public record CallAnswer(String sender, String messageId, String receiver, int status, boolean replay,
                             String respondedAt, Element payload, String text) {

        /** An attribute of the response's root element, or {@code null} without an XML body. */
        public String payloadAttribute(String name) {
            return payload == null ? null : payload.getAttribute(name);
        }
    }

    /**
     * The answer to {@code send}: {@code result} is {@code ACCEPTED} or {@code DUPLICATE}.
     * {@code queueId} and {@code sequence} are set for {@code ExactlyOnceInOrder} only (else {@code null}).
     */
    public record Acknowledgement(String sender, String messageId, String result, String acceptedAt,
                                  String queueId, Long sequence) {

        /** An acknowledgement without queue id and sequence (not in order). */
        public Acknowledgement(String sender, String messageId, String result, String acceptedAt) {
            this(sender, messageId, result, acceptedAt, null, null);
        }
    }

    /**
     * The answer to {@code status}: the message and its delivery state per receiver.
     * {@code queueId} and {@code sequence} are set for {@code ExactlyOnceInOrder} only (else {@code null});
     * {@code acceptedBy} is the node that accepted it.
     */
    public record MessageStatus(String sender, String messageId, String interfaceName, String qualityOfService,
                                String acceptedAt, String queueId, Long sequence,
                                List<ReceiverDelivery> deliveries, String acceptedBy) {

        public MessageStatus {
            deliveries = List.copyOf(deliveries);
        }

        /** A status without queue id and sequence (not in order). */
        public MessageStatus(String sender, String messageId, String interfaceName, String qualityOfService,
                             String acceptedAt, List<ReceiverDelivery> deliveries) {
            this(sender, messageId, interfaceName, qualityOfService, acceptedAt, null, null, deliveries, null);
        }

        /** The delivery to the named receiver, if the message has one. */
        public Optional<ReceiverDelivery> delivery(String receiver) {
            return deliveries.stream().filter(d -> receiver.equals(d.receiver())).findFirst();
        }
    }

    /**
     * The delivery of a message to one receiver; {@code state} is {@code PENDING}, {@code DELIVERED},
     * {@code HELD}, {@code FAILED} (in the failure store, resent on a schedule), {@code ERROR} (waits
     * for an operator) or {@code CANCELLED}. {@code lastError}, {@code deliveredAt}, {@code heldBehind}
     * (HELD only: the message id of the earlier message this one waits for), {@code lastAttemptAt} and
     * {@code nextAttemptAt} (FAILED only: when the scheduled resend tries it next) may be null; the
     * times are the xs:dateTime texts as received (see {@link CourierClient#instant(String)}).
     * {@code IN_DOUBT}: a non-idempotent receiver may have processed it; {@code possibleDuplicates}
     * counts the requests sent again while an earlier attempt was in doubt (0 when absent);
     * {@code deliveredBy} is the node that delivered it.
     */
    public record ReceiverDelivery(String receiver, String state, int attempts, String lastError,
                                   String deliveredAt, String heldBehind, String lastAttemptAt,
                                   String nextAttemptAt, long possibleDuplicates, String deliveredBy) {

        /** A delivery without attempt times. */
        public ReceiverDelivery(String receiver, String state, int attempts, String lastError, String deliveredAt,
                                String heldBehind) {
            this(receiver, state, attempts, lastError, deliveredAt, heldBehind, null, null, 0, null);
        }

        /** A delivery that waits behind no other message. */
        public ReceiverDelivery(String receiver, String state, int attempts, String lastError, String deliveredAt) {
            this(receiver, state, attempts, lastError, deliveredAt, null);
        }

        /** {@code lastAttemptAt} as an instant, or {@code null}. */
        public Instant lastAttempt() {
            return instant(lastAttemptAt);
        }

        /** {@code nextAttemptAt} as an instant, or {@code null}. */
        public Instant nextAttempt() {
            return instant(nextAttemptAt);
        }
    }
}
