package org.courier.web.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.w3c.dom.CharacterData;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.ProcessingInstruction;
import org.xml.sax.SAXException;

/**
 * The SOAP v1 payload capture against a fuzzer (Jazzer), by difference with a second reading: any
 * request the SOAP stack's reader (Woodstox) reads through the capture, and the JDK's DOM parser
 * reads too, gives (1) for every v1 {@code payload} in the body the same nodes as the DOM has in
 * it: each element with the same names, attributes and children in order, text, comments and
 * processing instructions equal; and (2) to the data binding above the capture the same document as the DOM,
 * with every such payload empty. Any other exception than the reader's refusal is a finding.
 * Fuzzing run: {@code JAZZER_FUZZ=1 ./mvnw -pl web test -Dtest=PayloadCaptureFuzzTest} (docs/edges.md).
 */
class PayloadCaptureFuzzTest {

    private static final XMLInputFactory STAX = XMLInputFactory.newFactory();

    static {
        STAX.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    }

    @FuzzTest(maxDuration = "2m")
    @DictionaryFile(resourcePath = "v1.dict")
    void anyRequestReadsAsTheSameNodesWithThePayloadsHidden(byte[] request) throws Exception {
        PayloadCapture capture;
        List<String> bindingSees = new ArrayList<>();
        try {
            capture = new PayloadCapture(STAX.createXMLStreamReader(new ByteArrayInputStream(request)));
            readAbove(capture, bindingSees);
        } catch (XMLStreamException refused) {
            return;
        } catch (RuntimeException lazy) {
            // Woodstox reads a comment's text when asked for it, and says what is wrong there unchecked: here
            // this test asked (outside any payload); the capture turns it into the reader's refusal itself
            assertThat(lazy.getCause()).isInstanceOf(XMLStreamException.class);
            return;
        }
        Document dom;
        try {
            dom = dom(request);
        } catch (SAXException | IOException notForBoth) {
            return; // the two parsers draw the edges of well-formedness a little differently: compare what both read
        }
        List<Element> payloads = new ArrayList<>();
        List<String> domWithPayloadsEmpty = new ArrayList<>();
        walk(dom.getDocumentElement(), 1, false, payloads, domWithPayloadsEmpty);

        assertThat(join(bindingSees)).as("what the data binding reads").isEqualTo(join(domWithPayloadsEmpty));
        assertThat(capture.payloads()).as("payloads captured").hasSize(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            List<Object> expected = new ArrayList<>();
            for (Node child = payloads.get(i).getFirstChild(); child != null; child = child.getNextSibling()) {
                expected.add(child instanceof Element || child instanceof Comment || child instanceof ProcessingInstruction
                        ? child : ((CharacterData) child).getData());
            }
            assertThat(describe(capture.payloads().get(i))).as("payload %d", i).isEqualTo(describe(expected));
        }
    }

    /** Reads as the data binding does, from the root element's start to its end. */
    private static void readAbove(PayloadCapture reader, List<String> seen) throws XMLStreamException {
        int depth = 0;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    seen.add(start(reader.getNamespaceURI(), reader.getLocalName()));
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    seen.add("</>");
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (depth > 0) {
                        seen.add("T" + reader.getText());
                    }
                }
                case XMLStreamConstants.COMMENT -> seen.add(depth > 0 ? "C" + reader.getText() : "");
                case XMLStreamConstants.PROCESSING_INSTRUCTION -> seen.add(depth > 0 ? "P" + reader.getPITarget() : "");
                default -> { }
            }
        }
    }

    private static void walk(Node node, int depth, boolean inBody, List<Element> payloads, List<String> seen) {
        if (node instanceof Element element) {
            seen.add(start(element.getNamespaceURI(), element.getLocalName()));
            boolean body = depth == 2 && "Body".equals(element.getLocalName())
                    && ("http://schemas.xmlsoap.org/soap/envelope/".equals(element.getNamespaceURI())
                    || "http://www.w3.org/2003/05/soap-envelope".equals(element.getNamespaceURI()));
            if (inBody && "payload".equals(element.getLocalName()) && PayloadCapture.V1.equals(element.getNamespaceURI())) {
                payloads.add(element);
            } else {
                for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
                    walk(child, depth + 1, inBody || body, payloads, seen);
                }
            }
            seen.add("</>");
        } else if (node instanceof Comment comment) {
            seen.add("C" + comment.getData());
        } else if (node instanceof ProcessingInstruction instruction) {
            seen.add("P" + instruction.getTarget());
        } else if (node instanceof CharacterData text) {
            seen.add("T" + text.getData());
        }
    }

    /** A start tag by name: no namespace is {@code null} in DOM and may be "" in StAX. */
    private static String start(String namespace, String localName) {
        return "<{" + (namespace == null ? "" : namespace) + "}" + localName + ">";
    }

    /** Adjacent texts as one: readers split text where they like. */
    private static String join(List<String> events) {
        StringBuilder joined = new StringBuilder();
        boolean inText = false;
        for (String event : events) {
            if (event.isEmpty()) {
                continue;
            }
            boolean text = event.startsWith("T");
            joined.append(text && inText ? event.substring(1) : (joined.isEmpty() ? "" : "|") + event);
            inText = text;
        }
        return joined.toString();
    }

    private static List<String> describe(List<Object> content) {
        List<String> described = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Object part : content) {
            if (part instanceof String s) {
                text.append(s);
                continue;
            }
            if (!text.isEmpty()) {
                described.add("text " + text);
                text.setLength(0);
            }
            if (part instanceof Element element) {
                described.add("element " + structure(element));
            } else if (part instanceof Comment comment) {
                described.add("comment " + comment.getData());
            } else if (part instanceof ProcessingInstruction instruction) {
                described.add("instruction " + instruction.getTarget() + " " + instruction.getData());
            }
        }
        if (!text.isEmpty()) {
            described.add("text " + text);
        }
        return described;
    }

    /**
     * An element as names, attributes (not namespace declarations: the captured element carries
     * every declaration in scope, as the data binding's did) and children in order, adjacent texts
     * as one.
     */
    private static String structure(Element element) {
        StringBuilder out = new StringBuilder(start(element.getNamespaceURI(), element.getLocalName()));
        List<String> attributes = new ArrayList<>();
        for (int i = 0; i < element.getAttributes().getLength(); i++) {
            Node attribute = element.getAttributes().item(i);
            if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(attribute.getNamespaceURI())) {
                attributes.add("{" + attribute.getNamespaceURI() + "}" + attribute.getLocalName() + "=" + attribute.getNodeValue());
            }
        }
        attributes.sort(null);
        out.append(attributes);
        boolean inText = false;
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            boolean text = child instanceof CharacterData && !(child instanceof Comment);
            if (child instanceof Element nested) {
                out.append(structure(nested));
            } else if (child instanceof Comment comment) {
                out.append("<!--").append(comment.getData()).append("-->");
            } else if (child instanceof ProcessingInstruction instruction) {
                out.append("<?").append(instruction.getTarget()).append(' ').append(instruction.getData()).append("?>");
            } else if (text) {
                out.append(inText ? "" : "|").append(((CharacterData) child).getData());
            }
            inText = text;
        }
        return out.append("</>").toString();
    }

    private static Document dom(byte[] request) throws SAXException, IOException, ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new ByteArrayInputStream(request));
    }
}
