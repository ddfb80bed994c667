package org.courier.web.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

/**
 * The capture under the SOAP stack's reader (Woodstox here, as in WildFly): what it keeps of each
 * payload, and that readers above it see every payload empty and everything else unchanged.
 */
class PayloadCaptureTest {

    private static final String ENVELOPE_START = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:v1=\"http://courier.org/ns/messaging/v1\" xmlns:e=\"urn:envelope\">";

    @Test
    void commentsAndProcessingInstructionsInsideThePayloadAreKept() throws Exception {
        PayloadCapture capture = readAll(send("<o:order xmlns:o=\"urn:o\"><!-- first --><o:id>1<?mark here?></o:id>"
                + "<o:note>a<!--mid-->b</o:note><?empty?></o:order>"));

        assertThat(capture.payloads()).hasSize(1);
        assertThat(SoapMapping.serialize(capture.payloads().get(0))).isEqualTo("<o:order xmlns:o=\"urn:o\"><!-- first --><o:id>1<?mark here?></o:id><o:note>a<!--mid-->b</o:note>"
                + "<?empty?></o:order>");
    }

    @Test
    void theTopElementDeclaresWhatTheDataBindingDeclaredAndWhatItUsesFromTheEnvelope() throws Exception {
        String envelope = ENVELOPE_START + "<soap:Body><v1:sendRequest xmlns:r=\"urn:request\"><v1:payload>"
                + "<e:order a=\"1\" e:b=\"2\"><line xmlns=\"urn:lines\">&amp;&lt;<![CDATA[<x>]]></line></e:order>"
                + "</v1:payload></v1:sendRequest></soap:Body></soap:Envelope>";
        PayloadCapture capture = readAll(envelope);

        String payload = SoapMapping.serialize(capture.payloads().get(0));

        assertThat(payload).startsWith("<e:order").contains("xmlns:e=\"urn:envelope\"", "xmlns:r=\"urn:request\"", "a=\"1\"",
                        "e:b=\"2\"").doesNotContain("xmlns:soap", "xmlns:v1")
                .endsWith("<line xmlns=\"urn:lines\">&amp;&lt;&lt;x&gt;</line></e:order>");
    }

    @Test
    void commentsBesideThePayloadElementAreKeptAndWhiteSpaceBesideItIsNot() throws Exception {
        PayloadCapture capture = readAll(send("\n  <!-- before -->\n  <a/>\n  <?after x?>\n"));

        assertThat(SoapMapping.serialize(capture.payloads().get(0))).isEqualTo("<!-- before --><a/><?after x?>");
    }

    @Test
    void textBesideElementsIsKeptForTheContractToRefuse() throws Exception {
        PayloadCapture capture = readAll(send("<a/>x &lt; y<b/>"));

        assertThat(SoapMapping.serialize(capture.payloads().get(0))).isEqualTo("<a/>x &lt; y<b/>");
    }

    @Test
    void readersAboveSeeEveryPayloadEmptyAndEverythingElseAsSent() throws Exception {
        String envelope = ENVELOPE_START + "<soap:Header><v1:payload><h/></v1:payload></soap:Header><soap:Body>"
                + "<v1:sendBatchRequest><v1:message><v1:sender>ERP</v1:sender><v1:payload><a><!--1--></a></v1:payload></v1:message>"
                + "<v1:message><v1:sender>CRM</v1:sender></v1:message>"
                + "<v1:message><v1:sender>HR</v1:sender><v1:payload><b/></v1:payload></v1:message>"
                + "</v1:sendBatchRequest></soap:Body></soap:Envelope>";
        PayloadCapture capture = new PayloadCapture(reader(envelope));
        List<String> seen = new ArrayList<>();
        while (capture.hasNext()) {
            int event = capture.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                seen.add("<" + capture.getLocalName() + ">");
                if (capture.getLocalName().equals("sender")) {
                    seen.add(capture.getElementText());
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                seen.add("</" + capture.getLocalName() + ">");
            }
        }

        assertThat(String.join("", seen)).isEqualTo("<Envelope><Header><payload><h></h></payload></Header><Body>"
                + "<sendBatchRequest><message><sender>ERP<payload></payload></message><message><sender>CRM</message>"
                + "<message><sender>HR<payload></payload></message></sendBatchRequest></Body></Envelope>");
        assertThat(capture.payloads()).hasSize(2);
        assertThat(SoapMapping.serialize(capture.payloads().get(0))).isEqualTo("<a><!--1--></a>");
        assertThat(SoapMapping.serialize(capture.payloads().get(1))).isEqualTo("<b/>");
    }

    @Test
    void nextTagSkipsToThePayloadsEndWithoutMissingIt() throws Exception {
        PayloadCapture capture = new PayloadCapture(reader(send("<a><!--c--><b/></a>")));
        while (!(capture.next() == XMLStreamConstants.START_ELEMENT && capture.getLocalName().equals("payload"))) {
            // to the payload's start tag
        }

        assertThat(capture.nextTag()).isEqualTo(XMLStreamConstants.END_ELEMENT);
        assertThat(capture.getLocalName()).isEqualTo("payload");
        assertThat(capture.payloads()).hasSize(1);
        assertThat(capture.nextTag()).isEqualTo(XMLStreamConstants.END_ELEMENT);
        assertThat(capture.getLocalName()).isEqualTo("sendRequest");
    }

    @Test
    void anEmptyPayloadIsCapturedEmpty() throws Exception {
        PayloadCapture capture = readAll(send(""));

        assertThat(capture.payloads()).containsExactly(List.of());
        assertThat(SoapMapping.serialize(capture.payloads().get(0))).isEmpty();
    }

    private static String send(String payload) {
        return ENVELOPE_START + "<soap:Body><v1:sendRequest><v1:sender>ERP</v1:sender><v1:payload>" + payload
                + "</v1:payload></v1:sendRequest></soap:Body></soap:Envelope>";
    }

    private static PayloadCapture readAll(String envelope) throws XMLStreamException {
        PayloadCapture capture = new PayloadCapture(reader(envelope));
        while (capture.hasNext()) {
            capture.next();
        }
        return capture;
    }

    private static XMLStreamReader reader(String xml) throws XMLStreamException {
        return XMLInputFactory.newFactory().createXMLStreamReader(new StringReader(xml));
    }
}
