package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryLimitTest {

    @Test
    void theDelayBeforeTheNextQuickAttemptDoublesFromOneSecondUpToAMinute() {
        assertThat(RetryLimit.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryLimit.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryLimit.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(RetryLimit.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(RetryLimit.delayAfter(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryLimit.delayAfter(1000)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryLimit.delayAfter(0)).as("never less than a second").isEqualTo(Duration.ofSeconds(1));
    }
}
