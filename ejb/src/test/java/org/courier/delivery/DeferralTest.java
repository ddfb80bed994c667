package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeferralTest {

    @Test
    void theWaitDoublesFromATenthOfASecondUpToFiveSeconds() {
        Duration timeout = Duration.ofSeconds(30);
        assertThat(Deferral.delay(1, timeout)).isEqualTo(Duration.ofMillis(100));
        assertThat(Deferral.delay(2, timeout)).isEqualTo(Duration.ofMillis(200));
        assertThat(Deferral.delay(6, timeout)).isEqualTo(Duration.ofMillis(3200));
        assertThat(Deferral.delay(7, timeout)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Deferral.delay(10_000, timeout)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Deferral.delay(0, timeout)).as("never less than the first wait").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aReceiverWithAShorterTimeoutIsTriedAgainWithinIt() {
        assertThat(Deferral.delay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(100));
        assertThat(Deferral.delay(4, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(800));
        assertThat(Deferral.delay(5, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }
}
