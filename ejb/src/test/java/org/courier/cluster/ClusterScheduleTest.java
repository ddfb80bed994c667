package org.courier.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.schema.SchemaMigrations;
import org.courier.schema.SchemaMigrations.Vendor;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Claims of a schedule's runs by several nodes at once, on a real (in-memory) H2 database with Courier's schema. */
class ClusterScheduleTest {

    private static final String RESEND = "courier-resend";
    private static final int NODES = 8;

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final ClusterSchedule schedule;

    ClusterScheduleTest() {
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        SchemaMigrations.configure(h2, Vendor.H2).migrate();
        schedule = new ClusterSchedule(h2);
    }

    @Test
    void ofNodesClaimingADueRunAtOnceExactlyOneRunsIt() throws Exception {
        Duration interval = Duration.ofSeconds(1);
        ExecutorService nodes = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < 3; round++) {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                        .until(() -> due(RESEND));
                CyclicBarrier together = new CyclicBarrier(NODES);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int n = 1; n <= NODES; n++) {
                    String node = "courier-" + n;
                    claims.add(nodes.submit(() -> {
                        together.await();
                        return schedule.claim(RESEND, interval, node);
                    }));
                }
                int won = 0;
                for (Future<Boolean> claim : claims) {
                    won += claim.get() ? 1 : 0;
                }
                assertThat(won).as("claims won in round %d", round).isEqualTo(1);
                assertThat(schedule.claim(RESEND, interval, "courier-1")).as("claimed again at once").isFalse();
            }
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    void aRunIsClaimedAgainOnlyAfterTheIntervalLessItsSlack() throws Exception {
        Duration interval = Duration.ofSeconds(2);
        assertThat(schedule.claim(RESEND, interval, "courier-2")).as("due since the migration").isTrue();
        assertThat(lastRunBy(RESEND)).isEqualTo("courier-2");

        long claimed = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> schedule.claim(RESEND, interval, "courier-1"));
        Duration between = Duration.ofNanos(System.nanoTime() - claimed);

        assertThat(between).as("interval less its slack (0.2 s)").isGreaterThanOrEqualTo(Duration.ofMillis(1790));
        assertThat(lastRunBy(RESEND)).isEqualTo("courier-1");
    }

    @Test
    void aShortenedIntervalTakesEffectAtOnce() throws Exception {
        assertThat(schedule.claim("courier-purge", Duration.ofDays(1), "courier-1")).isTrue();
        assertThat(schedule.claim("courier-purge", Duration.ofDays(1), "courier-2")).as("a day not passed").isFalse();

        assertThat(schedule.claim("courier-purge", Duration.ofHours(6), "courier-2"))
                .as("claimed a day ahead, now every 6 hours").isTrue();
        assertThat(schedule.claim("courier-purge", Duration.ofHours(6), "courier-1")).isFalse();
    }

    @Test
    void eachScheduleIsClaimedOnItsOwn() throws Exception {
        Duration interval = Duration.ofMinutes(1);
        assertThat(schedule.claim(RESEND, interval, "courier-1")).isTrue();
        assertThat(schedule.claim("courier-purge", interval, "courier-1")).isTrue();
        assertThat(schedule.claim("courier-aggregation-timeouts", interval, "courier-2")).isTrue();
        assertThat(schedule.claim(RESEND, interval, "courier-2")).isFalse();
    }

    @Test
    void anUnknownScheduleIsAnErrorNotASilentSkip() {
        assertThatThrownBy(() -> schedule.claim("no-such-schedule", Duration.ofMinutes(1), "courier-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-schedule");
    }

    @Test
    void theSlackIsATenthOfTheIntervalAtMostFiveSeconds() {
        assertThat(ClusterSchedule.slack(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
        assertThat(ClusterSchedule.slack(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(ClusterSchedule.slack(Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(5));
    }

    private boolean due(String name) throws Exception {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select NEXT_RUN_AT <= LOCALTIMESTAMP from COURIER_SCHEDULE"
                     + " where NAME = '" + name + "'")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private String lastRunBy(String name) throws Exception {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select LAST_RUN_BY from COURIER_SCHEDULE where NAME = '" + name + "'")) {
            row.next();
            return row.getString(1);
        }
    }
}
