package org.courier.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.courier.idmapping.PayloadIdentity;

/**
 * The payload contract against a fuzzer (Jazzer): for any text, the contract answers without
 * throwing, and it accepts exactly what an XML parser reads as a document of one element
 * (Courier's own DOM reading, {@link XmlPayload#parse}, DTDs refused) with no encoding declared
 * but UTF-8 and a canonical form (XML-C14N), as its canonical hash shows.
 * {@code mvn test} runs the inputs kept under {@code src/test/resources} (regression); a fuzzing
 * run: {@code JAZZER_FUZZ=1 ./mvnw -pl ejb test -Dtest=PayloadContractFuzzTest} (see docs/edges.md).
 */
class PayloadContractFuzzTest {

    @FuzzTest(maxDuration = "2m")
    @DictionaryFile(resourcePath = "/org/courier/content/xml.dict")
    void theContractAcceptsExactlyWhatParsesAsOneElement(String payload) {
        if (payload == null) {
            return; // no payload at all: the send validator's "payload is missing"
        }
        String breach = PayloadContract.breach(payload);
        boolean usable;
        try {
            String encoding = XmlPayload.parse(payload).getXmlEncoding();
            // payloads are stored and delivered in UTF-8, and compared by their canonical form
            usable = (encoding == null || encoding.equalsIgnoreCase("UTF-8"))
                    && new PayloadIdentity.CanonicalHash().idOf(payload).matches("[0-9a-f]{64}");
        } catch (XmlPayload.UnreadablePayload unreadable) {
            usable = false;
        }

        assertThat(breach == null).as("accepted (%s) while a parser or canonical XML %s it: %s", breach,
                usable ? "takes" : "refuses", payload).isEqualTo(usable);
        if (breach != null) {
            assertThat(breach).startsWith("the payload");
        }
    }
}
