package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResendPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void delaysDoubleFromTheBackoffUpToTheMaximumThenStop() {
        ResendPolicy policy = new ResendPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), 6, 0, () -> 0.5);

        assertThat(policy.nextResend(0, NOW)).contains(NOW.plus(Duration.ofMinutes(1)));
        assertThat(policy.nextResend(1, NOW)).contains(NOW.plus(Duration.ofMinutes(2)));
        assertThat(policy.nextResend(2, NOW)).contains(NOW.plus(Duration.ofMinutes(4)));
        assertThat(policy.nextResend(3, NOW)).contains(NOW.plus(Duration.ofMinutes(8)));
        assertThat(policy.nextResend(4, NOW)).contains(NOW.plus(Duration.ofMinutes(10)));
        assertThat(policy.nextResend(5, NOW)).contains(NOW.plus(Duration.ofMinutes(10)));
        assertThat(policy.nextResend(6, NOW)).isEmpty();
    }

    @Test
    void jitterStretchesEachDelayWithinItsBounds() {
        ResendPolicy lowest = new ResendPolicy(Duration.ofSeconds(10), Duration.ofHours(1), 10, 0.2, () -> 0.0);
        ResendPolicy highest = new ResendPolicy(Duration.ofSeconds(10), Duration.ofHours(1), 10, 0.2, () -> 0.999_999);

        assertThat(lowest.delay(0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(highest.delay(0)).isBetween(Duration.ofMillis(11_999), Duration.ofSeconds(12));
        assertThat(lowest.delay(2)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void largeResendCountsDoNotOverflow() {
        ResendPolicy policy = new ResendPolicy(Duration.ofMinutes(1), Duration.ofHours(1), 1000, 0, () -> 0.5);

        assertThat(policy.delay(62)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.delay(999)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new ResendPolicy(Duration.ZERO, Duration.ofHours(1), 3, 0.2, Math::random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResendPolicy(Duration.ofHours(2), Duration.ofHours(1), 3, 0.2, Math::random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResendPolicy(Duration.ofMinutes(1), Duration.ofHours(1), 3, 1.0, Math::random))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemPropertiesThatAreNotDurationsAreNamedInTheError() {
        System.setProperty(ResendPolicy.BACKOFF, "5 minutes");
        try {
            assertThatThrownBy(ResendPolicy::fromSystemProperties).hasMessageContaining("courier.resend.backoff");
        } finally {
            System.clearProperty(ResendPolicy.BACKOFF);
        }
    }
}
