package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.courier.idmapping.PayloadIdentity.CanonicalHash;
import org.courier.content.XmlPayload.UnreadablePayload;
import org.courier.idmapping.PayloadIdentity.XPaths;
import org.junit.jupiter.api.Test;

class PayloadIdentityTest {

    private static final String ORDER = "<o:order xmlns:o=\"urn:example:orders\" type=\"standard\" channel=\"web\">"
            + "<o:number>4711</o:number><o:customer>C-9</o:customer></o:order>";

    @Test
    void xpathValuesFormTheId() {
        XPaths identity = new XPaths(List.of("/o:order/o:customer", "/o:order/o:number"), Map.of("o", "urn:example:orders"));

        assertThat(identity.idOf(ORDER)).isEqualTo("C-9/4711");
    }

    @Test
    void aMissingXPathValueIsAClearError() {
        XPaths identity = new XPaths(List.of("/o:order/o:number", "/o:order/o:date"), Map.of("o", "urn:example:orders"));

        assertThatThrownBy(() -> identity.idOf(ORDER)).isInstanceOf(UnreadablePayload.class)
                .hasMessageContaining("no value at /o:order/o:date");
        assertThatThrownBy(() -> new XPaths(List.of("/o:order/["), Map.of())).hasMessageContaining("not a valid XPath");
    }

    @Test
    void theCanonicalHashIgnoresFormattingAttributeOrderAndComments() {
        String reformatted = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<o:order channel='web'   type='standard' xmlns:o='urn:example:orders'>\n"
                + "    <!-- from the web shop -->\n"
                + "    <o:number>4711</o:number>\n"
                + "    <o:customer>C-9</o:customer>\n"
                + "</o:order>\n";
        CanonicalHash hash = new CanonicalHash();

        assertThat(hash.idOf(ORDER)).matches("[0-9a-f]{64}").isEqualTo(hash.idOf(reformatted));
        assertThat(hash.idOf(ORDER.replace("4711", "4712"))).isNotEqualTo(hash.idOf(ORDER));
        assertThat(hash.idOf(ORDER.replace("<o:customer>C-9", "<o:customer> C-9")))
                .as("whitespace inside a value is content").isNotEqualTo(hash.idOf(ORDER));
    }

    @Test
    void doctypesAndExternalEntitiesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE o [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><o>&x;</o>";

        assertThatThrownBy(() -> new CanonicalHash().idOf(xxe)).isInstanceOf(UnreadablePayload.class)
                .hasMessageContaining("not well-formed XML");
    }
}
