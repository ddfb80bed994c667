package org.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    private static final String THEN = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         10000        1000000  [B (java.base@17.0.13)
               2:           500          24000  java.lang.String (java.base@17.0.13)
            Total         10500        1024000
            """;
    private static final String NOW = """
               1:         10000        1500000  [B (java.base@17.0.13)
               2:           400          19200  java.lang.String (java.base@17.0.13)
               3:           100           3200  org.h2.mvstore.Chunk
            """;

    @Test
    void readsJcmdsLinesAndLeavesOutItsHeadAndTotal() {
        ClassHistogram then = ClassHistogram.parse(THEN);
        assertThat(then.byClass()).containsOnlyKeys("[B (java.base@17.0.13)", "java.lang.String (java.base@17.0.13)");
        assertThat(then.totalBytes()).isEqualTo(1_024_000);
    }

    @Test
    void theGrowthTableListsTheClassesThatGrewMostFirst() {
        String table = ClassHistogram.parse(NOW).growthSince(ClassHistogram.parse(THEN), 2);
        assertThat(table.lines().filter(l -> l.startsWith("| `"))).containsExactly(
                "| `[B (java.base@17.0.13)` | 1000000 | 1500000 | +500000 | 10000 | 10000 |",
                "| `org.h2.mvstore.Chunk` | 0 | 3200 | +3200 | 0 | 100 |");
    }
}
