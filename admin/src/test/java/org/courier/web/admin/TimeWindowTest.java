package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.courier.operations.ActionRefused;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void withoutBoundsItIsTheLast24Hours() {
        assertThat(TimeWindow.of(null, null, NOW))
                .isEqualTo(new TimeWindow(Instant.parse("2026-11-21T12:00:00Z"), NOW));
    }

    @Test
    void aGivenEndIsKeptAndTheStartIs24HoursBeforeIt() {
        assertThat(TimeWindow.of(null, "2026-11-20T00:00:00Z", NOW))
                .isEqualTo(new TimeWindow(Instant.parse("2026-11-19T00:00:00Z"), Instant.parse("2026-11-20T00:00:00Z")));
    }

    @Test
    void aGivenStartRunsUntilNow() {
        assertThat(TimeWindow.of("2026-11-01T00:00:00Z", null, NOW))
                .isEqualTo(new TimeWindow(Instant.parse("2026-11-01T00:00:00Z"), NOW));
    }

    @Test
    void aStartNotBeforeTheEndIsRefused() {
        assertThatThrownBy(() -> TimeWindow.of("2026-11-23T00:00:00Z", null, NOW)).isInstanceOf(ActionRefused.class)
                .hasMessageContaining("'from' must be before 'to'");
    }
}
