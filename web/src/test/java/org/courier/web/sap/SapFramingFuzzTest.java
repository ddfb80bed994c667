package org.courier.web.sap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.Map;
import org.courier.content.Quoted;
import org.courier.content.XmlPayload;
import org.courier.ingest.RequestRejected;
import org.courier.routing.SapRmChannel;

/**
 * The SAP RM and XI edges' reading of a request against a fuzzer (Jazzer): any body, in any
 * declared charset, with any URL parameters, is one message or a refusal that says why, never
 * another exception; and a message read has a GUID in its one normal spelling, one of the three
 * qualities of service, and a payload complete on its own, and a refusal quotes the request only
 * in characters a SOAP fault can carry (well-formed, one element, every
 * prefix declared; the payload contract's other rules are the send validator's, for every edge). Fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl web test -Dtest=SapFramingFuzzTest} (see docs/edges.md).
 */
class SapFramingFuzzTest {

    private static final SapRmChannel CHANNEL = new SapRmChannel("orders", "ERP", "Orders");
    private static final String[] CHARSETS = {"", "UTF-8", "UTF-16", "ISO-8859-1", "x-unknown"};
    private static final String[] PARAMETERS = {"MessageId", "QueueId", "QualityOfService"};

    @FuzzTest(maxDuration = "2m")
    @DictionaryFile(resourcePath = "soap.dict")
    void anyRequestIsOneMessageOrARefusalThatSaysWhy(FuzzedDataProvider data) {
        String charset = data.pickValue(CHARSETS);
        Map<String, String> url = new HashMap<>();
        for (String parameter : PARAMETERS) {
            if (data.consumeBoolean()) {
                url.put(parameter, data.consumeString(48));
            }
        }
        byte[] body = data.consumeRemainingAsBytes();
        SoapEnvelope envelope;
        try {
            envelope = SoapEnvelope.parse(SapInboundServlet.text(body, charset.isEmpty() ? null : charset));
        } catch (RequestRejected | SoapEnvelope.Unusable refused) {
            saysWhy(refused);
            return;
        }
        try {
            isAMessage(XiServlet.inbound(envelope));
        } catch (RequestRejected | SoapEnvelope.Unusable refused) {
            saysWhy(refused);
        }
        try {
            isAMessage(SapRmServlet.inbound(CHANNEL, url::get, envelope));
        } catch (RequestRejected | SoapEnvelope.Unusable refused) {
            saysWhy(refused);
        }
    }

    /** A refusal says why, in text the fault can carry as it is (what it quotes of the request included). */
    private static void saysWhy(RuntimeException refused) {
        assertThat(refused.getMessage()).isNotBlank();
        assertThat(Quoted.xmlText(refused.getMessage())).as("every character of %s can be written in a fault",
                refused.getMessage()).isTrue();
    }

    private static void isAMessage(SapInboundServlet.Inbound inbound) {
        assertThat(SapGuid.normalize(inbound.messageId())).contains(inbound.messageId());
        assertThat(inbound.qualityOfService()).isIn("ExactlyOnce", "ExactlyOnceInOrder", "BestEffort");
        // complete on its own (one element, every prefix declared): the contract's other rules (namespace
        // names, declarations) are the send validator's, applied to every edge after this
        assertThat(XmlPayload.parse(inbound.payload()).getDocumentElement()).as(inbound.payload()).isNotNull();
    }
}
