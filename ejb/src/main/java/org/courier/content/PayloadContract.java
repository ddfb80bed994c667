package org.courier.content;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What a payload is, for every edge that accepts one (SOAP v1 {@code send}, {@code sendBatch}
 * and {@code call}, SAP RM, XI 3.0): <b>exactly one XML element</b>, well-formed and complete on
 * its own (every namespace prefix it uses declared in it), delivered to receivers as it is.
 * Beside the element there may be white space, comments and processing instructions; anything
 * else is refused before anything is stored:
 * <ul>
 *   <li>no element, or more than one ({@code <a/><b/>});</li>
 *   <li>text beside the element;</li>
 *   <li>a document type declaration (DTD), anywhere: no entities but XML's own five;</li>
 *   <li>a namespace declared with a relative name ({@code xmlns="orders"}): canonical XML, by
 *       which payloads are compared and hashed, cannot take it;</li>
 *   <li>anything not well-formed, including a prefix no declaration binds.</li>
 * </ul>
 * The check reads the payload once as a stream (StAX), without building it in memory. An XML
 * declaration at its start is allowed (and kept) when it is well-formed, of XML 1.0, and names no
 * encoding but UTF-8.
 */
public final class PayloadContract {

    /** The JDK's own StAX parser, the same in the server and in tests; one per thread (a factory is not documented thread-safe). */
    private static final ThreadLocal<XMLInputFactory> STREAMS = ThreadLocal.withInitial(PayloadContract::streams);
    private static final int SHOWN = 40;
    private static final String WRAP_START = "<courier-payload>";
    private static final String WRAP_END = "</courier-payload>";

    private PayloadContract() {
    }

    /** Why this payload breaks the contract, or {@code null} if it keeps it. */
    public static String breach(String payload) {
        String declaration = declaration(payload);
        if (declaration != null) {
            String wrong = declarationBreach(declaration);
            if (wrong != null) {
                return wrong;
            }
        }
        List<String> elements = new ArrayList<>(2);
        String text = null;
        XMLStreamReader reader = null;
        try {
            // inside a root of its own, so that siblings and text beside the element are seen, not a parse error
            String rest = declaration == null ? payload : payload.substring(declaration.length());
            reader = STREAMS.get().createXMLStreamReader(new StringReader(WRAP_START + rest + WRAP_END));
            int depth = 0;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (depth++ == 1) {
                            elements.add(name(reader));
                        }
                        String relative = relativeNamespace(reader);
                        if (relative != null) {
                            return "the payload declares the relative namespace name '" + shown(relative) + "': namespace"
                                    + " names must be absolute URIs such as urn:example:orders (relative ones are deprecated,"
                                    + " and canonical XML, by which payloads are compared, cannot take them)";
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> depth--;
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (depth == 1 && text == null && !reader.getText().isBlank()) {
                            text = reader.getText().strip();
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> {
                        return "the payload refers to entity &" + reader.getLocalName() + "; which nothing declares"
                                + " (DTDs are not accepted): only XML's own five entities and character references are";
                    }
                    default -> {
                        // comments, processing instructions
                    }
                }
            }
        } catch (XMLStreamException e) {
            return payload.contains("<!DOCTYPE")
                    ? "the payload carries a document type declaration (DTD): DTDs, and the entities they declare,"
                            + " are not accepted in a payload"
                    : "the payload is not well-formed XML: " + reason(e);
        } finally {
            close(reader);
        }
        if (elements.isEmpty()) {
            return text == null ? "the payload holds no XML element: it must be exactly one"
                    : "the payload holds text ('" + shown(text) + "') and no XML element: it must be exactly one XML element";
        }
        if (elements.size() > 1) {
            return "the payload holds " + elements.size() + " sibling elements (<" + elements.get(0) + ">, <"
                    + elements.get(1) + ">" + (elements.size() > 2 ? ", …" : "") + "): it must be exactly one XML element";
        }
        if (text != null) {
            return "the payload holds text beside its element ('" + shown(text) + "'): it must be exactly one XML element";
        }
        return null;
    }

    /** The XML declaration the payload starts with, or {@code null} (one may only come first in a document). */
    private static String declaration(String payload) {
        if (payload.startsWith("<?xml") && payload.length() > 5 && isXmlSpace(payload.charAt(5))) {
            int end = payload.indexOf("?>");
            return end < 0 ? null : payload.substring(0, end + 2);
        }
        return null;
    }

    /**
     * Why this XML declaration breaks the contract, or {@code null}: it must be well-formed, of XML
     * 1.0 (what SOAP carries and canonical XML reads), and an encoding it names must be UTF-8, the
     * encoding in which Courier stores and delivers payloads (a receiver that believed another one
     * would read other characters).
     */
    private static String declarationBreach(String declaration) {
        XMLStreamReader reader = null;
        try {
            reader = STREAMS.get().createXMLStreamReader(new StringReader(declaration + "<declared/>"));
            while (reader.hasNext()) {
                reader.next();
            }
        } catch (XMLStreamException e) {
            return "the payload's XML declaration is not well-formed: " + reason(e);
        } finally {
            close(reader);
        }
        String version = pseudoAttribute("version", declaration);
        if (version != null && !version.equals("1.0")) {
            return "the payload's XML declaration says version " + shown(version) + ": payloads are XML 1.0, the version"
                    + " SOAP carries and canonical XML reads";
        }
        // read here, not from the StAX reader: the JDK's reports no encoding for a declaration of XML 1.1
        String encoding = pseudoAttribute("encoding", declaration);
        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            return "the payload's XML declaration names encoding '" + shown(encoding) + "', but payloads are"
                    + " stored and delivered in UTF-8: leave the encoding out of the declaration, or name UTF-8";
        }
        return null;
    }

    /** The value of a pseudo-attribute ({@code version}, {@code encoding}) of a well-formed XML declaration, or {@code null}. */
    private static String pseudoAttribute(String name, String declaration) {
        Matcher value = Pattern.compile("\\s" + name + "\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')").matcher(declaration);
        if (!value.find()) {
            return null;
        }
        return value.group(1) != null ? value.group(1) : value.group(2);
    }

    private static boolean isXmlSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * A namespace name declared on the current element that is a relative URI reference, or
     * {@code null}: as canonical XML judges it, absolute means a colon after at least one character.
     */
    private static String relativeNamespace(XMLStreamReader reader) {
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String uri = reader.getNamespaceURI(i);
            if (uri != null && !uri.isEmpty() && uri.indexOf(':') <= 0) {
                return uri;
            }
        }
        return null;
    }

    private static String name(XMLStreamReader reader) {
        String prefix = reader.getPrefix();
        return prefix == null || prefix.isEmpty() ? reader.getLocalName() : prefix + ":" + reader.getLocalName();
    }

    private static String shown(String text) {
        return Quoted.of(text.replaceAll("\\s+", " "), SHOWN);
    }

    private static String reason(XMLStreamException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        // StAX starts with "ParseError at [row,col]:[1,7]" (of the wrapped text): the message only
        int at = message.indexOf("Message: ");
        return Quoted.inXml((at >= 0 ? message.substring(at + "Message: ".length()) : message).strip());
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing is held open: the payload is a string
            }
        }
    }

    /** Namespace-aware, no DTD processing, no external entities. */
    private static XMLInputFactory streams() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }
}
