package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.courier.content.XmlPayload.UnreadablePayload;

/**
 * Message ids taken from payloads against a fuzzer (Jazzer): for any payload, XPath values and
 * the canonical hash give an id, or the payload is refused as {@link UnreadablePayload} saying
 * why; never another exception. Fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl ejb test -Dtest=PayloadIdentityFuzzTest}.
 */
class PayloadIdentityFuzzTest {

    private static final PayloadIdentity XPATHS = new PayloadIdentity.XPaths(List.of("/*/@id", "//o:line[1]/o:n"),
            Map.of("o", "urn:o"));
    private static final PayloadIdentity HASH = new PayloadIdentity.CanonicalHash();

    @FuzzTest(maxDuration = "2m")
    @DictionaryFile(resourcePath = "/org/courier/content/xml.dict")
    void anyPayloadGivesAnIdOrIsRefusedSayingWhy(byte[] bytes) {
        // bytes, not a String: the fuzzer's byte mutations use the XML dictionary and the kept inputs are plain files
        String payload = new String(bytes, StandardCharsets.UTF_8);
        for (PayloadIdentity identity : List.of(XPATHS, HASH)) {
            try {
                assertThat(identity.idOf(payload)).isNotBlank();
            } catch (UnreadablePayload refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }
}
