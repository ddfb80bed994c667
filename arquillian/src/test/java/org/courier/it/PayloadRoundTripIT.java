package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A payload arrives at the receiver as it was sent, complete on its own: what the receiver gets
 * parses without the SOAP envelope around it, and is the same XML (element and attribute names
 * with their namespaces, attribute values, text) as the payload the sender wrote, even where the
 * payload uses namespace prefixes, or a default namespace, declared on the envelope or body.
 */
@ExtendWith(ArquillianExtension.class)
class PayloadRoundTripIT {

    private static final String SOAP = CourierClient.SOAP_ENVELOPE_NAMESPACE;
    private static final String COURIER = CourierClient.NAMESPACE;

    private final CourierClient courier = new CourierClient();
    private TestReceiver alpha;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        alpha = TestReceiver.start(18081);
    }

    @AfterEach
    void stopReceiver() {
        alpha.close();
    }

    @Test
    void prefixesDeclaredOnTheEnvelopeAreDeclaredInTheDeliveredPayload() throws Exception {
        String id = newId();
        String envelope = "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:c=\"" + COURIER + "\" xmlns:o=\"urn:example:orders\""
                + " xmlns:x=\"urn:example:extra\"><s:Body><c:sendRequest>" + fields(id)
                + "<c:payload><o:order x:channel=\"web\"><o:id>1</o:id><x:note>n</x:note></o:order></c:payload>"
                + "</c:sendRequest></s:Body></s:Envelope>";

        String delivered = sendAndReceive(envelope, id);

        assertSameXml(delivered, "<o:order xmlns:o=\"urn:example:orders\" xmlns:x=\"urn:example:extra\" x:channel=\"web\">"
                + "<o:id>1</o:id><x:note>n</x:note></o:order>");
    }

    @Test
    void aDefaultNamespaceDeclaredOnTheBodyStaysTheDeliveredPayloadsNamespace() throws Exception {
        String id = newId();
        String envelope = "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:c=\"" + COURIER + "\"><s:Body xmlns=\"urn:example:d\">"
                + "<c:sendRequest>" + fields(id) + "<c:payload><order><id>2</id></order></c:payload>"
                + "</c:sendRequest></s:Body></s:Envelope>";

        String delivered = sendAndReceive(envelope, id);

        assertSameXml(delivered, "<order xmlns=\"urn:example:d\"><id>2</id></order>");
    }

    @Test
    void textEntitiesCdataAndCharactersOutsideTheBasicPlaneArriveAsSent() throws Exception {
        String id = newId();
        String payload = "<order xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><a>&lt;&amp;&gt; \"q\" 'a'</a>"
                + "<b><![CDATA[<not-an-element/> & more]]></b><c>&#x1F600; \uD83D\uDE00 \u00E9\u4E2D</c><d xsi:nil=\"true\"/>"
                + "<e attr=\"a&quot;b&lt;c\"/></order>";
        String envelope = "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:c=\"" + COURIER + "\"><s:Body><c:sendRequest>"
                + fields(id) + "<c:payload>\n  <!-- beside it -->\n  " + payload + "\n</c:payload>"
                + "</c:sendRequest></s:Body></s:Envelope>";

        String delivered = sendAndReceive(envelope, id);

        assertSameXml(delivered, payload);
    }

    @Test
    void commentsAndProcessingInstructionsInAndBesideTheElementArriveAsSent() {
        String id = newId();
        String envelope = "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:c=\"" + COURIER + "\"><s:Body><c:sendRequest>"
                + fields(id) + "<c:payload>\n  <!-- beside it --><?before it?>\n  <order><!-- kept --><id>3<?audit ok?></id>"
                + "</order>\n</c:payload></c:sendRequest></s:Body></s:Envelope>";

        String delivered = sendAndReceive(envelope, id);

        assertThat(delivered).startsWith("<!-- beside it --><?before it?><order")
                .endsWith("><!-- kept --><id>3<?audit ok?></id></order>");
    }

    @Test
    void aRequestInTheCharsetItDeclaresArrivesAsTheSameText() throws Exception {
        String payload = "<order note=\"Grüße \u4E2D \uD834\uDD1E\"><a>\u00E9\u00E8</a></order>";
        String id = newId();
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:c=\""
                + COURIER + "\"><s:Body><c:sendRequest>" + fields(id) + "<c:payload>" + payload
                + "</c:payload></c:sendRequest></s:Body></s:Envelope>";
        assertSameXml(sendAndReceive(envelope.getBytes(StandardCharsets.UTF_16), "text/xml; charset=UTF-16", id), payload);

        String latin1 = "<order note=\"Grüße\"><a>\u00E9\u00E8</a></order>";
        String other = newId();
        String declared = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:c=\""
                + COURIER + "\"><s:Body><c:sendRequest>" + fields(other) + "<c:payload>" + latin1
                + "</c:payload></c:sendRequest></s:Body></s:Envelope>";
        assertSameXml(sendAndReceive(declared.getBytes(StandardCharsets.ISO_8859_1), "text/xml; charset=ISO-8859-1", other),
                latin1);
    }

    private String sendAndReceive(String envelope, String id) {
        return sendAndReceive(envelope.getBytes(StandardCharsets.UTF_8), "text/xml; charset=utf-8", id);
    }

    private String sendAndReceive(byte[] envelope, String contentType, String id) {
        HttpResponse<String> response = courier.post(envelope, contentType, COURIER + "/send");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("ACCEPTED");
        await().atMost(Duration.ofSeconds(30)).until(() -> alpha.count(id) >= 1);
        return alpha.arrivalsOf(id).get(0).body();
    }

    private static String fields(String id) {
        return "<c:sender>ERP</c:sender><c:interface>Orders</c:interface><c:messageId>" + id
                + "</c:messageId><c:qualityOfService>ExactlyOnce</c:qualityOfService>";
    }

    private static String newId() {
        return "rt-" + UUID.randomUUID();
    }

    /** Both parse on their own (every prefix declared) and are the same XML: names, namespaces, attributes, text. */
    private static void assertSameXml(String delivered, String expected) throws Exception {
        assertThat(describe(parse(delivered))).as("delivered: %s", delivered).isEqualTo(describe(parse(expected)));
    }

    private static Element parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setCoalescing(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
    }

    /** The element as its expanded names, non-namespace attributes (sorted) and text, namespace declarations left out. */
    private static List<String> describe(Element element) {
        List<String> parts = new ArrayList<>();
        parts.add("<{" + element.getNamespaceURI() + "}" + element.getLocalName());
        TreeMap<String, String> attributes = new TreeMap<>();
        NamedNodeMap all = element.getAttributes();
        for (int i = 0; i < all.getLength(); i++) {
            Attr attribute = (Attr) all.item(i);
            if (!"http://www.w3.org/2000/xmlns/".equals(attribute.getNamespaceURI())) {
                attributes.put("{" + attribute.getNamespaceURI() + "}" + attribute.getLocalName(), attribute.getValue());
            }
        }
        parts.add(attributes.toString());
        StringBuilder text = new StringBuilder();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(child.getNodeValue());
            } else if (child instanceof Element nested) {
                parts.add("text:" + text);
                text.setLength(0);
                parts.addAll(describe(nested));
            }
        }
        parts.add("text:" + text);
        parts.add(">");
        return parts;
    }
}
