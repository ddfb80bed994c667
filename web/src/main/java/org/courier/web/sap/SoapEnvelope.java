package org.courier.web.sap;

import java.util.Optional;
import org.courier.content.XmlPayload;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A SOAP 1.1 or 1.2 envelope as a sender posted it, parsed safely (no DTDs, no external
 * entities): its header entries and the payload, the one element in its body.
 */
final class SoapEnvelope {

    static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String SOAP_12 = "http://www.w3.org/2003/05/soap-envelope";

    private final Element envelope;

    private SoapEnvelope(Element envelope) {
        this.envelope = envelope;
    }

    /** @throws Unusable when the text is not a SOAP envelope */
    static SoapEnvelope parse(String text) {
        Document document;
        try {
            document = XmlPayload.parse(text);
        } catch (XmlPayload.UnreadablePayload e) {
            throw new Unusable("the request is not a SOAP envelope: " + e.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!"Envelope".equals(root.getLocalName())
                || !(SOAP_11.equals(root.getNamespaceURI()) || SOAP_12.equals(root.getNamespaceURI()))) {
            throw new Unusable("the request is not a SOAP envelope: its root element is <" + root.getLocalName() + ">"
                    + (root.getNamespaceURI() == null ? "" : " in namespace " + root.getNamespaceURI()));
        }
        return new SoapEnvelope(root);
    }

    /** The first element of the SOAP header with this name, if any. */
    Optional<Element> header(String namespace, String localName) {
        return child(envelope, envelope.getNamespaceURI(), "Header").flatMap(header -> child(header, namespace, localName));
    }

    /** The payload: the one element in the body, as text. */
    String payload() {
        Element body = child(envelope, envelope.getNamespaceURI(), "Body")
                .orElseThrow(() -> new Unusable("the SOAP envelope has no Body"));
        Element payload = null;
        for (Node node = body.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                if (payload != null) {
                    throw new Unusable("the SOAP Body holds more than one element: the payload is exactly one");
                }
                payload = (Element) node;
            } else if (node.getNodeType() == Node.TEXT_NODE && !node.getTextContent().isBlank()) {
                throw new Unusable("the SOAP Body holds text beside its element: the payload is exactly one element");
            }
        }
        if (payload == null) {
            throw new Unusable("the SOAP Body is empty: the payload is exactly one element");
        }
        return XmlPayload.write(payload);
    }

    /** The text of the first child element with this name, trimmed, or {@code null}. */
    static String text(Element parent, String namespace, String localName) {
        return child(parent, namespace, localName).map(e -> e.getTextContent().strip()).orElse(null);
    }

    static Optional<Element> child(Element parent, String namespace, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())
                    && namespace.equals(element.getNamespaceURI())) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** A request that is no usable SOAP message: a client error. */
    static final class Unusable extends RuntimeException {

        Unusable(String message) {
            super(message);
        }
    }
}
