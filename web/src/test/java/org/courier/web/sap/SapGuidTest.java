package org.courier.web.sap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SapGuidTest {

    @ParameterizedTest
    @ValueSource(strings = {"3F2504E04F8911D39A0C0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "uuid:3F2504E0-4F89-11D3-9A0C-0305E82C3301", "urn:uuid:3f2504e04f8911d39a0c0305e82c3301",
            " UUID:3f2504e0-4f89-11d3-9a0c-0305e82c3301 "})
    void everySpellingOfOneGuidIsTheSameId(String spelling) {
        assertThat(SapGuid.normalize(spelling)).contains("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "order-4711", "3F2504E04F8911D39A0C0305E82C330", "3F2504E04F8911D39A0C0305E82C3301A",
            "3f2504e0-4f89-11d3-9a0c0305e82c3301", "uuid:", "urn:uuid:xyz", "3g2504e04f8911d39a0c0305e82c3301"})
    void anythingElseIsNoGuid(String text) {
        assertThat(SapGuid.normalize(text)).isEmpty();
    }
}
