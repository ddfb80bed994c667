package org.courier.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void withoutPropertiesMessagesAreKept30DaysTroubledOnes90AndTombstones400() {
        RetentionPolicy policy = RetentionPolicy.from(name -> null);

        assertThat(policy.period(false)).isEqualTo(Duration.ofDays(30));
        assertThat(policy.period(true)).isEqualTo(Duration.ofDays(90));
        assertThat(policy.tombstones()).isEqualTo(Duration.ofDays(400));
    }

    @Test
    void propertiesAreIsoDurationsAndBlankOnesTakeTheirDefault() {
        RetentionPolicy policy = RetentionPolicy.from(Map.of(
                RetentionPolicy.MESSAGES, " PT12H ",
                RetentionPolicy.FAILURES, "",
                RetentionPolicy.TOMBSTONES, "P100DT6H")::get);

        assertThat(policy.period(false)).isEqualTo(Duration.ofHours(12));
        assertThat(policy.period(true)).isEqualTo(Duration.ofDays(90));
        assertThat(policy.tombstones()).isEqualTo(Duration.ofDays(100).plusHours(6));
    }

    @Test
    void aMessageWithTroubleIsKeptForTheFailurePeriodOthersForTheMessagePeriod() {
        RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(400));

        assertThat(policy.settledBefore(NOW, false)).isEqualTo(Instant.parse("2026-10-22T10:00:00Z"));
        assertThat(policy.settledBefore(NOW, true)).isEqualTo(Instant.parse("2026-08-23T10:00:00Z"));
        assertThat(policy.tombstonesBefore(NOW)).isEqualTo(Instant.parse("2025-10-17T10:00:00Z"));
    }

    @Test
    void aCutoffFarAheadMakesEverythingSettledDue() {
        RetentionPolicy policy = RetentionPolicy.from(name -> null);
        Instant farAhead = NOW.plus(Duration.ofDays(1000));

        assertThat(policy.settledBefore(farAhead, false)).isAfter(NOW);
        assertThat(policy.settledBefore(farAhead, true)).isAfter(NOW);
    }

    @Test
    void tombstonesMustOutliveMessagesAndFailures() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RetentionPolicy.TOMBSTONES)
                .hasMessageContaining("must be longer than")
                .hasMessageContaining("late retry")
                .hasMessageContaining("=P60D").hasMessageContaining("=P90D");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(90)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(500), Duration.ofDays(90), Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void periodsReadAsOperatorsWriteThem() {
        assertThat(RetentionPolicy.from(name -> null)).hasToString("messages P30D, messages with trouble P90D, tombstones P400D");
        assertThat(RetentionPolicy.iso(Duration.ofHours(36))).isEqualTo("PT36H");
    }

    @Test
    void periodsMustBePositive() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, Duration.ofDays(90), Duration.ofDays(400)))
                .hasMessageContaining(RetentionPolicy.MESSAGES).hasMessageContaining("positive");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(-1), Duration.ofDays(400)))
                .hasMessageContaining(RetentionPolicy.FAILURES);
    }

    @Test
    void aPropertyThatIsNotADurationIsNamedInTheError() {
        assertThatThrownBy(() -> RetentionPolicy.from(Map.of(RetentionPolicy.FAILURES, "90 days")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("courier.retention.failures='90 days'")
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> RetentionPolicy.from(Map.of(RetentionPolicy.TOMBSTONES, "P1Y")::get))
                .hasMessageContaining("courier.retention.tombstones");
    }
}
