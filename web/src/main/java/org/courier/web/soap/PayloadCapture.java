package org.courier.web.soap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads the content of every v1 {@code <payload>} in a SOAP body off the request as the sender
 * wrote it, comments and processing instructions included, and hides it from the data binding,
 * which sees each payload empty.
 *
 * <p>Why: the data binding (JAXB, {@code xs:any}) builds a payload's DOM from element and text
 * events only, so comments and processing instructions inside a payload were dropped and the
 * payload acknowledged without them (issue 19, docs/edges.md). Reading the payload here once, into
 * the DOM the endpoint sends on, keeps them and costs no second pass: the binding reads nothing.
 *
 * <p>{@link #payloads()} holds one entry per payload, in document order: its elements, its text and
 * its comments and processing instructions ({@link Node}s and {@link String}s, in order); each
 * top element declares the namespaces the data binding's did ({@link #inScope()}). The
 * endpoint pairs them with the request's payloads in the same order
 * ({@link CourierEndpoint}). {@code nextTag} and {@code getElementText} go through {@link #next()}
 * so that no reader skips past a payload uncaptured.
 */
final class PayloadCapture extends StreamReaderDelegate {

    static final String V1 = "http://courier.org/ns/messaging/v1";
    private static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";
    /** One document builder per request thread: a builder is not thread-safe, and making one costs more than a payload. */
    private static final ThreadLocal<DocumentBuilder> DOCUMENTS = ThreadLocal.withInitial(PayloadCapture::documentBuilder);

    private final List<List<Object>> payloads = new ArrayList<>();
    /** Namespace declarations in scope, outermost first; {@link #scopes} marks where each open element's begin. */
    private final List<String[]> declarations = new ArrayList<>();
    private final List<Integer> scopes = new ArrayList<>();
    private int bodyDepth = -1;
    private boolean atPayload;

    PayloadCapture(XMLStreamReader reader) {
        super(reader);
    }

    /** The content of each payload read so far, in document order. */
    List<List<Object>> payloads() {
        return payloads;
    }

    @Override
    public int next() throws XMLStreamException {
        if (atPayload) {
            atPayload = false;
            payloads.add(capture());
            return getEventType();
        }
        int event = super.next();
        if (event == START_ELEMENT) {
            enterScope();
            if (bodyDepth < 0 && scopes.size() == 2 && "Body".equals(getLocalName())
                    && (SOAP_11.equals(getNamespaceURI()) || SOAP_12.equals(getNamespaceURI()))) {
                bodyDepth = 2;
            } else if (bodyDepth > 0 && "payload".equals(getLocalName()) && V1.equals(getNamespaceURI())) {
                atPayload = true;
            }
        } else if (event == END_ELEMENT) {
            leaveScope();
        }
        return event;
    }

    @Override
    public int nextTag() throws XMLStreamException {
        int event = next();
        while (event == CHARACTERS && isWhiteSpace() || event == CDATA && isWhiteSpace() || event == SPACE
                || event == COMMENT || event == PROCESSING_INSTRUCTION) {
            event = next();
        }
        if (event != START_ELEMENT && event != END_ELEMENT) {
            throw new XMLStreamException("Expected a start or end tag, found event " + event, getLocation());
        }
        return event;
    }

    @Override
    public String getElementText() throws XMLStreamException {
        if (getEventType() != START_ELEMENT) {
            throw new XMLStreamException("getElementText needs a start tag", getLocation());
        }
        StringBuilder text = new StringBuilder();
        for (int event = next(); event != END_ELEMENT; event = next()) {
            switch (event) {
                case CHARACTERS, CDATA, SPACE, ENTITY_REFERENCE -> text.append(getText());
                case COMMENT, PROCESSING_INSTRUCTION -> { }
                default -> throw new XMLStreamException("An element with text only holds event " + event, getLocation());
            }
        }
        return text.toString();
    }

    /**
     * Reads the payload whose start tag is the current event up to and including its end tag. A
     * lazy reader (Woodstox) reads a comment's or instruction's text only when asked for it and
     * then reports what is wrong there as an unchecked exception around the reader's own: it is
     * thrown as the reader's, so that the sender gets the same client fault as for any XML that
     * is not well-formed (found by {@code PayloadCaptureFuzzTest}).
     */
    private List<Object> capture() throws XMLStreamException {
        try {
            return read();
        } catch (RuntimeException lazy) {
            if (lazy.getCause() instanceof XMLStreamException notWellFormed) {
                throw notWellFormed;
            }
            throw lazy;
        }
    }

    private List<Object> read() throws XMLStreamException {
        Map<String, String> inScope = inScope();
        Document document = newDocument();
        List<Object> content = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Node open = null;
        while (true) {
            int event = super.next();
            switch (event) {
                case START_ELEMENT -> {
                    Element element = element(document);
                    if (open == null) {
                        flush(text, content);
                        inScope.forEach((prefix, uri) -> declareUnlessDeclared(element, prefix, uri));
                        content.add(element);
                    } else {
                        open.appendChild(element);
                    }
                    open = element;
                }
                case END_ELEMENT -> {
                    if (open == null) {
                        flush(text, content);
                        leaveScope();
                        return content;
                    }
                    open = open.getParentNode();
                }
                case CHARACTERS, CDATA, SPACE, ENTITY_REFERENCE -> {
                    if (open == null) {
                        text.append(getText());
                    } else {
                        open.appendChild(document.createTextNode(getText()));
                    }
                }
                case COMMENT -> add(document.createComment(getText()), open, text, content);
                case PROCESSING_INSTRUCTION -> add(document.createProcessingInstruction(getPITarget(),
                        Objects.toString(getPIData(), "")), open, text, content);
                case END_DOCUMENT -> throw new XMLStreamException("The request ends inside a payload", getLocation());
                default -> { }
            }
        }
    }

    private static void add(Node node, Node open, StringBuilder text, List<Object> content) {
        if (open == null) {
            flush(text, content);
            content.add(node);
        } else {
            open.appendChild(node);
        }
    }

    private static void flush(StringBuilder text, List<Object> content) {
        if (!text.isEmpty()) {
            content.add(text.toString());
            text.setLength(0);
        }
    }

    private Element element(Document document) {
        Element element = document.createElementNS(emptyToNull(getNamespaceURI()), qualified(getPrefix(), getLocalName()));
        for (int i = 0; i < getNamespaceCount(); i++) {
            String prefix = getNamespacePrefix(i);
            element.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI,
                    prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix, Objects.toString(getNamespaceURI(i), ""));
        }
        for (int i = 0; i < getAttributeCount(); i++) {
            element.setAttributeNS(emptyToNull(getAttributeNamespace(i)),
                    qualified(getAttributePrefix(i), getAttributeLocalName(i)), getAttributeValue(i));
        }
        return element;
    }

    private static void declareUnlessDeclared(Element element, String prefix, String uri) {
        String name = prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix;
        if (!element.hasAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, prefix.isEmpty() ? "xmlns" : prefix)
                && !(prefix.isEmpty() && uri.isEmpty())) {
            element.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, name, uri);
        }
    }

    /** The start tag just read opens a scope with its namespace declarations. */
    private void enterScope() {
        scopes.add(declarations.size());
        for (int i = 0; i < getNamespaceCount(); i++) {
            declarations.add(new String[] {Objects.toString(getNamespacePrefix(i), ""), Objects.toString(getNamespaceURI(i), "")});
        }
    }

    private void leaveScope() {
        int start = scopes.remove(scopes.size() - 1);
        declarations.subList(start, declarations.size()).clear();
        if (scopes.size() < bodyDepth) {
            bodyDepth = -1;
        }
    }

    /**
     * The namespace declarations in scope from the body's request element ({@code sendRequest}
     * and the like) in, the innermost of each prefix: those the data binding, which reads from
     * that element, put on a payload's top element, so that a payload is stored as it was before
     * the capture. A prefix declared further out (on the envelope or the body) is declared by the
     * serializer where the payload uses it in a name.
     */
    private Map<String, String> inScope() {
        Map<String, String> inScope = new LinkedHashMap<>();
        for (String[] declaration : declarations.subList(scopes.size() > 2 ? scopes.get(2) : 0, declarations.size())) {
            inScope.remove(declaration[0]);
            inScope.put(declaration[0], declaration[1]);
        }
        return inScope;
    }

    private static String qualified(String prefix, String localName) {
        return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
    }

    private static String emptyToNull(String namespace) {
        return namespace == null || namespace.isEmpty() ? null : namespace;
    }

    private static Document newDocument() {
        return DOCUMENTS.get().newDocument();
    }

    private static DocumentBuilder documentBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No DOM implementation in this runtime", e);
        }
    }
}
