package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.courier.message.DeliveryState;
import org.courier.operations.ActionRefused;
import org.junit.jupiter.api.Test;

class QueryValuesTest {

    @Test
    void absentOrBlankValuesAreNoneAndDefaultsApply() {
        assertThat(QueryValues.optional("  ")).isNull();
        assertThat(QueryValues.optional(" ERP ")).isEqualTo("ERP");
        assertThat(QueryValues.instant("from", null)).isNull();
        assertThat(QueryValues.state("status", "")).isNull();
        assertThat(QueryValues.page(null)).isZero();
        assertThat(QueryValues.size(" ", 50, 500)).isEqualTo(50);
    }

    @Test
    void valuesAreParsed() {
        assertThat(QueryValues.instant("from", "2026-11-21T10:00:00Z")).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(QueryValues.state("status", "IN_DOUBT")).isEqualTo(DeliveryState.IN_DOUBT);
        assertThat(QueryValues.page("3")).isEqualTo(3);
        assertThat(QueryValues.size("500", 50, 500)).isEqualTo(500);
    }

    @Test
    void badValuesAreRefusedAsInvalidNamingTheParameter() {
        assertInvalid(() -> QueryValues.instant("from", "yesterday"), "'from' is not an ISO-8601 instant");
        assertInvalid(() -> QueryValues.state("status", "failed"), "'status' is not a delivery state (one of PENDING,");
        assertInvalid(() -> QueryValues.page("-1"), "'page' must be 0 or more");
        assertInvalid(() -> QueryValues.page("x"), "'page' is not a whole number");
        assertInvalid(() -> QueryValues.size("501", 50, 500), "'size' must be from 1 to 500");
        assertInvalid(() -> QueryValues.size("0", 50, 500), "'size' must be from 1 to 500");
        assertInvalid(() -> QueryValues.ordered(Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:00:00Z")),
                "'from' must be before 'to'");
    }

    private static void assertInvalid(Runnable parse, String error) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ActionRefused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(ActionRefused.Reason.INVALID);
            assertThat(refused.getMessage()).contains(error);
        });
    }

    @Test
    void wholeNumbersAndIdsAreReadOrRefusedNamingTheParameter() {
        assertThat(QueryValues.whole("limit", null)).isNull();
        assertThat(QueryValues.whole("limit", " 25 ")).isEqualTo(25);
        assertThatThrownBy(() -> QueryValues.whole("limit", "ten")).isInstanceOf(ActionRefused.class)
                .hasMessage("query parameter 'limit' is not a whole number: ten");
        assertThat(QueryValues.requiredId("executionId", "9000000000")).isEqualTo(9_000_000_000L);
        assertThatThrownBy(() -> QueryValues.requiredId("executionId", " ")).isInstanceOf(Parameters.Missing.class)
                .hasMessage("query parameter 'executionId' is required");
        assertThatThrownBy(() -> QueryValues.requiredId("executionId", "x".repeat(100)))
                .hasMessage("query parameter 'executionId' is not a whole number: " + "x".repeat(60) + "…");
    }
}
