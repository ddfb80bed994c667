package org.courier.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.cluster.SharedJobRuns.RecordedRun;
import org.courier.schema.SchemaMigrations;
import org.courier.schema.SchemaMigrations.Vendor;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Runs a node left behind in a shared job repository: on a real (in-memory) H2 database with
 * Courier's schema and JBeret's own tables, rows as JBeret writes them.
 */
class SharedJobRunsTest {

    private static final String RESEND = "courier-resend";
    private static final Duration TAKEOVER = Duration.ofSeconds(60);

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final String incarnation = UUID.randomUUID().toString();
    private final SharedJobRuns node1;

    SharedJobRunsTest() throws Exception {
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        SchemaMigrations.configure(h2, Vendor.H2).migrate();
        try (InputStream ddl = getClass().getResourceAsStream("/jberet/jberet-h2.ddl");
             Connection connection = h2.getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : new String(ddl.readAllBytes(), StandardCharsets.UTF_8).split("!!")) {
                if (!table.isBlank()) {
                    statement.execute(table);
                }
            }
        }
        node1 = node("courier-1", incarnation);
        beat("courier-1", Duration.ZERO);
    }

    @Test
    void aRunOfThisNodesEarlierStartIsEndedAsFailedWithItsStepsAndOneOfThisStartIsLeftRunning() throws Exception {
        long earlier = run(RESEND, "STARTED", "courier-1", "an-earlier-start", Duration.ofSeconds(5));
        step(earlier, "resend", "STARTED", 7, null);
        long now = run(RESEND, "STARTED", "courier-1", incarnation, Duration.ofSeconds(5));

        assertThat(node1.endLeftBehind(RESEND)).isEqualTo(1);

        assertThat(status(earlier)).isEqualTo("FAILED");
        assertThat(exitStatus(earlier)).isEqualTo("courier: node courier-1 restarted (or redeployed Courier) before the run ended");
        assertThat(stepStatus(earlier)).isEqualTo("FAILED");
        assertThat(status(now)).isEqualTo("STARTED");
        assertThat(node1.endLeftBehind(RESEND)).as("ended once").isZero();
    }

    @Test
    void aRunOfANodeNotSeenForTheTakeoverTimeIsEndedAndOneOfANodeAliveIsNot() throws Exception {
        beat("courier-2", Duration.ofSeconds(61));
        beat("courier-3", Duration.ofSeconds(30));
        long ofDead = run(RESEND, "STARTING", "courier-2", "x", Duration.ofSeconds(90));
        long ofAlive = run(RESEND, "STARTED", "courier-3", "y", Duration.ofMinutes(10));

        assertThat(node1.endLeftBehind(RESEND)).isEqualTo(1);

        assertThat(status(ofDead)).isEqualTo("FAILED");
        assertThat(exitStatus(ofDead)).isEqualTo("courier: node courier-2 has not been seen for more than 60 s (the takeover time)");
        assertThat(status(ofAlive)).isEqualTo("STARTED");
    }

    @Test
    void aRunOfANodeGoneFromTheNodesIsEndedOnceOlderThanTheTakeoverTime() throws Exception {
        long old = run(RESEND, "STOPPING", "courier-9", "x", Duration.ofSeconds(61));
        long young = run(RESEND, "STARTED", "courier-8", "y", Duration.ofSeconds(10));

        assertThat(node1.endLeftBehind(RESEND)).isEqualTo(1);

        assertThat(status(old)).isEqualTo("FAILED");
        assertThat(exitStatus(old)).isEqualTo("courier: node courier-9 is gone from the cluster's nodes and the run is older than 60 s");
        assertThat(status(young)).as("a node starting, its first heartbeat not yet written").isEqualTo("STARTED");
    }

    @Test
    void runsOfOtherJobsEndedRunsAndRunsNoCourierNodeStartedAreLeftAlone() throws Exception {
        beat("courier-2", Duration.ofMinutes(5));
        long purge = run("courier-purge", "STARTED", "courier-2", "x", Duration.ofMinutes(5));
        long completed = run(RESEND, "COMPLETED", "courier-2", "x", Duration.ofMinutes(5));
        long fromTheCli = run(RESEND, "STARTED", null, null, Duration.ofHours(1));

        assertThat(node1.endLeftBehind(RESEND)).isZero();

        assertThat(status(purge)).isEqualTo("STARTED");
        assertThat(status(completed)).isEqualTo("COMPLETED");
        assertThat(status(fromTheCli)).isEqualTo("STARTED");
    }

    @Test
    void ofNodesLookingAtOnceEachRunLeftBehindIsEndedExactlyOnce() throws Exception {
        beat("courier-2", Duration.ofMinutes(5));
        List<Long> leftBehind = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            leftBehind.add(run(RESEND, "STARTED", "courier-2", "x", Duration.ofMinutes(5)));
        }
        int nodes = 6;
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        try {
            CyclicBarrier together = new CyclicBarrier(nodes);
            List<Future<Integer>> ended = new ArrayList<>();
            for (int n = 3; n < 3 + nodes; n++) {
                beat("courier-" + n, Duration.ZERO);
                SharedJobRuns node = node("courier-" + n, "i" + n);
                ended.add(threads.submit(() -> {
                    together.await();
                    return node.endLeftBehind(RESEND);
                }));
            }
            int total = 0;
            for (Future<Integer> count : ended) {
                total += count.get();
            }
            assertThat(total).isEqualTo(leftBehind.size());
        } finally {
            threads.shutdownNow();
        }
        for (long id : leftBehind) {
            assertThat(status(id)).isEqualTo("FAILED");
        }
    }

    @Test
    void aRunIsReadFromTheTablesWithItsStepsCounts() throws Exception {
        long run = run("courier-purge", "COMPLETED", "courier-2", "x", Duration.ofSeconds(3));
        step(run, "purge-messages", "COMPLETED", 40, 40L);
        step(run, "remove-expired-tombstones", "COMPLETED", 3, 3L);

        RecordedRun read = node1.read(run, "courier-purge").orElseThrow();

        assertThat(read.status()).isEqualTo("COMPLETED");
        assertThat(read.node()).contains("courier-2");
        assertThat(read.parameters().getProperty("cutoff")).isEqualTo("2026-12-07T00:00:00Z");
        assertThat(read.steps()).extracting(SharedJobRuns.RecordedStep::name, SharedJobRuns.RecordedStep::writeCount,
                        SharedJobRuns.RecordedStep::userCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("purge-messages", 40L, 40L),
                        org.assertj.core.groups.Tuple.tuple("remove-expired-tombstones", 3L, 3L));
        assertThat(node1.read(run, RESEND)).as("a run of another job").isEmpty();
        assertThat(node1.read(run + 1000, "courier-purge")).isEmpty();
    }

    @Test
    void runsThatEndedBeforeTheCutoffAreForgottenWithTheirStepsAndInstances() throws Exception {
        long old = run(RESEND, "COMPLETED", "courier-1", incarnation, Duration.ofDays(8));
        step(old, "resend", "COMPLETED", 1, null);
        long recent = run(RESEND, "FAILED", "courier-1", incarnation, Duration.ofDays(1));
        long running = run(RESEND, "STARTED", "courier-1", incarnation, Duration.ofDays(9));

        assertThat(node1.forgetEndedBefore(Instant.now().minus(Duration.ofDays(7)))).isEqualTo(1);

        assertThat(status(old)).isNull();
        assertThat(count("select count(*) from STEP_EXECUTION")).isZero();
        assertThat(status(recent)).isEqualTo("FAILED");
        assertThat(status(running)).isEqualTo("STARTED");
        assertThat(count("select count(*) from JOB_INSTANCE")).isEqualTo(2);
    }

    @Test
    void jberetsFormOfParametersAndCountsIsRead() throws Exception {
        Properties parameters = SharedJobRuns.parameters("courier.node = courier-2\ncutoff = 2026-12-07T00:00:00Z\n");
        assertThat(parameters.getProperty("courier.node")).isEqualTo("courier-2");
        assertThat(parameters.getProperty("cutoff")).isEqualTo("2026-12-07T00:00:00Z");
        assertThat(SharedJobRuns.count(serialized(12L))).isEqualTo(12);
        assertThat(SharedJobRuns.count(serialized("not a count"))).isZero();
        assertThat(SharedJobRuns.count(null)).isZero();
    }

    private SharedJobRuns node(String id, String itsIncarnation) {
        return new SharedJobRuns(h2, h2, id, itsIncarnation, TAKEOVER, Duration.ofDays(7));
    }

    /** Writes a node's heartbeat as {@code ago} before the database's now. */
    private void beat(String node, Duration ago) throws SQLException {
        try (Connection connection = h2.getConnection();
             PreparedStatement merge = connection.prepareStatement(
                     "merge into COURIER_NODE (NODE_ID, STARTED_AT, SEEN_AT) key (NODE_ID)"
                             + " values (?, DATEADD(SECOND, -CAST(? AS INT), LOCALTIMESTAMP),"
                             + " DATEADD(SECOND, -CAST(? AS INT), LOCALTIMESTAMP))")) {
            merge.setString(1, node);
            merge.setLong(2, ago.toSeconds() + 10);
            merge.setLong(3, ago.toSeconds());
            merge.executeUpdate();
        }
    }

    /** A run as JBeret writes it: an instance, an execution with the parameters in JBeret's form. */
    private long run(String job, String status, String node, String itsIncarnation, Duration ago) throws SQLException {
        try (Connection connection = h2.getConnection()) {
            long instance;
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into JOB_INSTANCE (JOBNAME, APPLICATIONNAME) values (?, 'courier')", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, job);
                insert.executeUpdate();
                instance = generated(insert);
            }
            StringBuilder parameters = new StringBuilder("cutoff = 2026-12-07T00:00:00Z\n");
            if (node != null) {
                parameters.append("courier.node = ").append(node).append('\n')
                        .append("courier.incarnation = ").append(itsIncarnation).append('\n');
            }
            Timestamp created = Timestamp.from(Instant.now().minus(ago));
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into JOB_EXECUTION (JOBINSTANCEID, CREATETIME, STARTTIME, ENDTIME, BATCHSTATUS, JOBPARAMETERS)"
                            + " values (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, instance);
                insert.setTimestamp(2, created);
                insert.setTimestamp(3, created);
                insert.setTimestamp(4, SharedJobRuns.RUNNING.contains(status) ? null : created);
                insert.setString(5, status);
                insert.setString(6, parameters.toString());
                insert.executeUpdate();
                return generated(insert);
            }
        }
    }

    private void step(long execution, String name, String status, int written, Long count) throws SQLException, IOException {
        try (Connection connection = h2.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into STEP_EXECUTION (JOBEXECUTIONID, STEPNAME, BATCHSTATUS, WRITECOUNT, PERSISTENTUSERDATA)"
                             + " values (?, ?, ?, ?, ?)")) {
            insert.setLong(1, execution);
            insert.setString(2, name);
            insert.setString(3, status);
            insert.setInt(4, written);
            insert.setBytes(5, count == null ? null : serialized(count));
            insert.executeUpdate();
        }
    }

    private static byte[] serialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static long generated(PreparedStatement insert) throws SQLException {
        try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    private String status(long execution) throws SQLException {
        return text("select BATCHSTATUS from JOB_EXECUTION where JOBEXECUTIONID = " + execution);
    }

    private String exitStatus(long execution) throws SQLException {
        return text("select EXITSTATUS from JOB_EXECUTION where JOBEXECUTIONID = " + execution);
    }

    private String stepStatus(long execution) throws SQLException {
        return text("select BATCHSTATUS from STEP_EXECUTION where JOBEXECUTIONID = " + execution);
    }

    private String text(String query) throws SQLException {
        try (Connection connection = h2.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private long count(String query) throws SQLException {
        return Long.parseLong(text(query));
    }
}
