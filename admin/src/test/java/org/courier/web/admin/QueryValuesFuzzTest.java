package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import org.courier.content.Quoted;
import org.courier.operations.ActionRefused;

/**
 * The admin API's query values against a fuzzer (Jazzer): any text for any parameter is its
 * value, or a refusal as a client error ({@link ActionRefused.Reason#INVALID}, answered 400) that
 * names the parameter and quotes the value only in characters JSON and XML can carry (no control
 * character, no half of a surrogate pair); never another exception (which the API would answer 500). Fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl ejb,admin test -Dtest=QueryValuesFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class QueryValuesFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @FuzzTest(maxDuration = "1m")
    void anyTextIsAValueOrARefusalNamingItsParameter(FuzzedDataProvider data) {
        String first = data.consumeString(64);
        String second = data.consumeRemainingAsString();
        refusedNaming(() -> QueryValues.instant("from", first), "'from'");
        refusedNaming(() -> QueryValues.page(first), "'page'");
        refusedNaming(() -> QueryValues.size(first, 50, 500), "'size'");
        refusedNaming(() -> QueryValues.state("status", first), "'status'");
        refusedNaming(() -> QueryValues.whole("limit", first), "'limit'");
        refusedNaming(() -> QueryValues.requiredId("executionId", first), "'executionId'");
        refusedNaming(() -> TimeWindow.of(first, second, NOW), "'from'", "'to'");
    }

    /** Reads, or is refused naming one of these parameters (quoted). */
    private static void refusedNaming(Runnable reading, String... parameters) {
        try {
            reading.run();
        } catch (ActionRefused refused) {
            assertThat(refused.reason()).isEqualTo(ActionRefused.Reason.INVALID);
            assertThat(refused.getMessage()).containsAnyOf(parameters).hasSizeLessThan(600); // 60 characters quoted, at most 6 each
            assertThat(Quoted.xmlText(refused.getMessage())).as("every character of %s can be written", refused.getMessage())
                    .isTrue();
        } catch (Parameters.Missing missing) {
            assertThat(missing.getMessage()).containsAnyOf(parameters);
        }
    }
}
