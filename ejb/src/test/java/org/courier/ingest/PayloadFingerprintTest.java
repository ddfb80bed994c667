package org.courier.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadFingerprintTest {

    @Test
    void sameTextSameHashAndDifferentTextDifferentHash() {
        assertThat(PayloadFingerprint.of("<a>1</a>")).isEqualTo(PayloadFingerprint.of("<a>1</a>"));
        assertThat(PayloadFingerprint.of("<a>1</a>")).isNotEqualTo(PayloadFingerprint.of("<a>2</a>"));
    }

    @Test
    void isHexSha256() {
        assertThat(PayloadFingerprint.of("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
