package org.courier.web.sap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.courier.content.PayloadContract;
import org.courier.content.XmlPayload;
import org.junit.jupiter.api.Test;

class SoapEnvelopeTest {

    private static final String START = "<s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP_11 + "\" xmlns:o=\"urn:o\" xmlns:x=\"urn:x\">";

    @Test
    void thePayloadDeclaresThePrefixesItTookFromTheEnvelope() {
        String payload = SoapEnvelope.parse(START + "<s:Body><o:order x:channel=\"web\"><o:id>1</o:id></o:order></s:Body>"
                + "</s:Envelope>").payload();

        assertThat(PayloadContract.breach(payload)).as(payload).isNull();
        var order = XmlPayload.parse(payload).getDocumentElement();
        assertThat(order.getNamespaceURI()).isEqualTo("urn:o");
        assertThat(order.getAttributeNS("urn:x", "channel")).isEqualTo("web");
    }

    @Test
    void aBodyOfTwoElementsOrTextBesideItIsRefused() {
        assertThatThrownBy(() -> SoapEnvelope.parse(START + "<s:Body><a/><b/></s:Body></s:Envelope>").payload())
                .hasMessageContaining("more than one element");
        assertThatThrownBy(() -> SoapEnvelope.parse(START + "<s:Body>text<a/></s:Body></s:Envelope>").payload())
                .hasMessageContaining("text beside");
    }
}
