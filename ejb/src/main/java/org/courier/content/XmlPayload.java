package org.courier.content;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Reading message payloads: parsed without DTDs, external entities or XInclude; XPath
 * expressions compiled against configured prefixes; nodes written back as XML.
 */
public final class XmlPayload {

    private XmlPayload() {
    }

    /** The payload as a namespace-aware DOM; {@link UnreadablePayload} if it is not well-formed. */
    public static Document parse(String payload) {
        return parse(new InputSource(new StringReader(payload)));
    }

    /**
     * A document as bytes (a file), in the encoding its XML declaration names (UTF-8 without one)
     * as a namespace-aware DOM; {@link UnreadablePayload} if it is not well-formed.
     */
    public static Document parse(byte[] document) {
        return parse(new InputSource(new ByteArrayInputStream(document)));
    }

    private static Document parse(InputSource source) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(source);
        } catch (Exception e) {
            throw new UnreadablePayload("the payload is not well-formed XML: " + e.getMessage());
        }
    }

    /** An XPath expression with these prefixes; {@link IllegalArgumentException} saying why if it is invalid. */
    public static XPathExpression xpath(String expression, Map<String, String> namespaces) {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new Prefixes(Map.copyOf(namespaces)));
        try {
            return xpath.compile(expression);
        } catch (XPathExpressionException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IllegalArgumentException("'" + expression + "' is not a valid XPath expression: " + reason, e);
        }
    }

    /** The node as XML text, without an XML declaration, namespaces declared where used. */
    public static String write(Node node) {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("the payload could not be written: " + e.getMessage(), e);
        }
    }

    /** Text escaped for XML element content and double-quoted attribute values. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A payload that cannot be used as configured: a client error, not worth a retry. */
    public static final class UnreadablePayload extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnreadablePayload(String message) {
            super(message);
        }
    }

    private record Prefixes(Map<String, String> namespaces) implements NamespaceContext {

        @Override
        public String getNamespaceURI(String prefix) {
            return namespaces.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
        }

        @Override
        public String getPrefix(String namespaceUri) {
            return namespaces.entrySet().stream().filter(e -> e.getValue().equals(namespaceUri))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }

        @Override
        public Iterator<String> getPrefixes(String namespaceUri) {
            return namespaces.entrySet().stream().filter(e -> e.getValue().equals(namespaceUri))
                    .map(Map.Entry::getKey).iterator();
        }
    }
}
