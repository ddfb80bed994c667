package org.courier.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration LIMIT = Duration.ofMinutes(15);

    @Test
    void aSessionExpiresOnlyWhenItsLastActivityIsOlderThanTheLimit() {
        assertThat(IdleTimeout.expired(NOW.minus(LIMIT).minusSeconds(1), NOW, LIMIT)).isTrue();
        assertThat(IdleTimeout.expired(NOW.minus(LIMIT), NOW, LIMIT)).isFalse();
        assertThat(IdleTimeout.expired(NOW.minusSeconds(5), NOW, LIMIT)).isFalse();
    }

    @Test
    void aSessionWithoutActivityYetHasNotExpired() {
        assertThat(IdleTimeout.expired(null, NOW, LIMIT)).isFalse();
        assertThat(IdleTimeout.expired("not an instant", NOW, LIMIT)).isFalse();
    }

    @Test
    void theLimitIsAPositiveIsoDurationElseTheDefault() {
        assertThat(IdleTimeout.parse("PT30M")).isEqualTo(Duration.ofMinutes(30));
        assertThat(IdleTimeout.parse("PT20S")).isEqualTo(Duration.ofSeconds(20));
        assertThat(IdleTimeout.parse("15")).isEqualTo(Duration.parse(IdleTimeout.DEFAULT));
        assertThat(IdleTimeout.parse("PT0S")).isEqualTo(Duration.parse(IdleTimeout.DEFAULT));
        assertThat(IdleTimeout.parse("-PT5M")).isEqualTo(Duration.parse(IdleTimeout.DEFAULT));
    }

    @Test
    void theLimitIsWordedForOperators() {
        assertThat(IdleTimeout.describe(Duration.ofMinutes(15))).isEqualTo("15 minutes");
        assertThat(IdleTimeout.describe(Duration.ofSeconds(90))).isEqualTo("90 seconds");
    }
}
