package org.courier.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** What an IDoc receiver takes (one IDoc in IDoc-XML), and the IDoc with Courier's transaction id in ARCKEY. */
class IdocDocumentTest {

    private static final String TID = "0A1B2C3D4E5F60718293A4B5";
    private static final String ORDER = """
            <ORDERS05><IDOC BEGIN="1">
              <EDI_DC40 SEGMENT="1"><TABNAM>EDI_DC40</TABNAM><DIRECT>2</DIRECT><IDOCTYP>ORDERS05</IDOCTYP>\
            <MESTYP>ORDERS</MESTYP><SNDPOR>COURIER</SNDPOR><SNDPRT>LS</SNDPRT><SNDPRN>COURIER</SNDPRN>\
            <RCVPOR>SAPQ01</RCVPOR><RCVPRT>LS</RCVPRT><RCVPRN>Q01CLNT100</RCVPRN><SERIAL>20261207</SERIAL></EDI_DC40>
              <E1EDK01 SEGMENT="1"><BELNR>4711</BELNR></E1EDK01>
            </IDOC></ORDERS05>""";

    @Test
    void theTransactionIdGoesIntoArckeyBeforeSerialInTheControlRecord() {
        IdocDocument idoc = IdocDocument.of(ORDER);

        Document framed = XmlPayload.parse(idoc.withArchiveKey(TID, false));

        Element control = (Element) framed.getElementsByTagName("EDI_DC40").item(0);
        Element arckey = (Element) control.getElementsByTagName("ARCKEY").item(0);
        assertThat(arckey.getTextContent()).isEqualTo("urn:sap.com:msgid=" + TID);
        assertThat(arckey.getNextSibling().getNodeName()).as("ARCKEY precedes SERIAL, as in the control record").isEqualTo("SERIAL");
        assertThat(framed.getDocumentElement().getNamespaceURI()).isNull();
        assertThat(framed.getElementsByTagName("BELNR").item(0).getTextContent()).isEqualTo("4711");
        assertThat(idoc.type()).isEqualTo("ORDERS05");
    }

    @Test
    void aSendersArckeyIsReplacedAndTheSoapFormPutsTheRootInSapsIdocNamespace() {
        String withKey = ORDER.replace("<SERIAL>", "<ARCKEY>sender's own</ARCKEY><SERIAL>");
        assertThat(IdocDocument.of(withKey).archiveKey()).isEqualTo("sender's own");

        Document framed = XmlPayload.parse(IdocDocument.of(withKey).withArchiveKey(TID, true));

        Element root = framed.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(IdocDocument.SOAP_NAMESPACE);
        assertThat(root.getLocalName()).isEqualTo("ORDERS05");
        assertThat(framed.getElementsByTagName("ARCKEY").getLength()).isEqualTo(1);
        assertThat(framed.getElementsByTagName("ARCKEY").item(0).getTextContent()).isEqualTo("urn:sap.com:msgid=" + TID);
        assertThat(((Element) root.getElementsByTagName("IDOC").item(0)).getNamespaceURI())
                .as("the IDoc's own elements stay unqualified").isNull();
    }

    @Test
    void aControlRecordWithoutSerialGetsArckeyLast() {
        String noSerial = ORDER.replace("<SERIAL>20261207</SERIAL>", "");

        Document framed = XmlPayload.parse(IdocDocument.of(noSerial).withArchiveKey(TID, false));

        Element control = (Element) framed.getElementsByTagName("EDI_DC40").item(0);
        assertThat(control.getLastChild().getNodeName()).isEqualTo("ARCKEY");
    }

    @Test
    void aPayloadThatIsNotOneIdocIsRefusedSayingWhy() {
        assertThat(IdocDocument.breach("<order><id>1</id></order>")).contains("exactly one <IDOC BEGIN=\"1\">, not 0");
        assertThat(IdocDocument.breach(ORDER.replace("</IDOC></ORDERS05>", "</IDOC>" + ORDER.substring(10))))
                .contains("not 2");
        assertThat(IdocDocument.breach("<ORDERS05><IDOC BEGIN=\"1\"><E1EDK01 SEGMENT=\"1\"/></IDOC></ORDERS05>"))
                .contains("first element must be its control record <EDI_DC40 SEGMENT=\"1\">, not <E1EDK01>");
        assertThat(IdocDocument.breach(ORDER)).isNull();
        assertThatThrownBy(() -> IdocDocument.of("<ORDERS05>")).isInstanceOf(XmlPayload.UnreadablePayload.class);
    }
}
