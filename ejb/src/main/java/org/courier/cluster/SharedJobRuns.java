package org.courier.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Courier's batch runs (the resend and purge jobs) in a job repository the nodes share: JBeret's
 * JDBC repository on Courier's database (its own schema, courier_batch), data source
 * {@value #DATA_SOURCE}, configured with PostgreSQL (server/cli/configure-postgresql.cli). Without
 * it, on H2, the repository is WildFly's in-memory one, each node's own, and nothing here has
 * anything to do.
 *
 * <p>Every run Courier starts carries the node that runs it and that node's incarnation (a new one
 * at each start of the deployment) as job parameters {@value #NODE} and {@value #INCARNATION}. A
 * run whose node died, or restarted, stays STARTED in the shared tables for ever (JBeret ends a run
 * only in the JVM that runs it), and every node would see a run of that job "running" and never
 * start another. So before a node starts a run it ends those left behind as FAILED, with an exit
 * status that says why: a run of this node's earlier incarnation; a run of another node that is
 * dead by the heartbeat ({@link NodeHeartbeat}: not seen for the takeover time), or whose row is
 * gone and which was created longer than the takeover time ago. A run started from outside Courier
 * (WildFly CLI {@code start-job}) names no node and is left to whoever started it.
 *
 * <p>A run's status is read from the tables ({@link #read}), not through JBeret's job operator: the
 * operator caches a run another node runs as it first read it, and through a load balancer an
 * operator's status requests reach both nodes. Runs that ended longer ago than
 * {@value #KEPT_PROPERTY} (ISO-8601, default P7D) are forgotten, at most once an hour.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SharedJobRuns {

    public static final String DATA_SOURCE = "java:jboss/datasources/CourierBatchDS";
    /** Job parameter: the node that runs the run. */
    public static final String NODE = "courier.node";
    /** Job parameter: that node's incarnation, new at every start of the deployment. */
    public static final String INCARNATION = "courier.incarnation";
    static final String KEPT_PROPERTY = "courier.batch.runs-kept";
    static final Duration DEFAULT_KEPT = Duration.ofDays(7);
    static final Duration FORGET_EVERY = Duration.ofHours(1);
    static final Set<String> RUNNING = Set.of("STARTING", "STARTED", "STOPPING");
    private static final Logger LOG = Logger.getLogger(SharedJobRuns.class.getName());
    private static final AtomicLong LAST_FORGOTTEN = new AtomicLong();

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource courier;

    /** JBeret's tables; null when the repository is each node's own (in memory). */
    private DataSource runs;

    private String node = ClusterNode.ID;
    private String incarnation = ClusterNode.INCARNATION;
    private Duration takeoverAfter;
    private Duration kept;

    public SharedJobRuns() {
    }

    /** For tests: the tables of {@code runs}, the nodes of {@code courier}, as node {@code node} of {@code incarnation}. */
    SharedJobRuns(DataSource courier, DataSource runs, String node, String incarnation, Duration takeoverAfter, Duration kept) {
        this.courier = courier;
        this.runs = runs;
        this.node = node;
        this.incarnation = incarnation;
        this.takeoverAfter = takeoverAfter;
        this.kept = kept;
    }

    @PostConstruct
    void lookUp() {
        try {
            runs = (DataSource) new InitialContext().lookup(DATA_SOURCE);
        } catch (NamingException inMemory) {
            runs = null;
        }
        takeoverAfter = NodeHeartbeat.duration(NodeHeartbeat.TAKEOVER_PROPERTY, NodeHeartbeat.DEFAULT_TAKEOVER);
        kept = NodeHeartbeat.duration(KEPT_PROPERTY, DEFAULT_KEPT);
    }

    /** Whether the job repository is shared (JDBC); if not, each node's runs are its own, in memory. */
    public boolean shared() {
        return runs != null;
    }

    /** The parameters every run Courier starts carries: this node and its incarnation. */
    public Properties parameters() {
        Properties parameters = new Properties();
        parameters.setProperty(NODE, node);
        parameters.setProperty(INCARNATION, incarnation);
        return parameters;
    }

    /**
     * Ends as FAILED the runs of {@code job} whose node died or restarted while they ran (see the
     * class comment); how many. Nothing to do with a repository of this node's own.
     */
    public int endLeftBehind(String job) throws SQLException {
        if (runs == null) {
            return 0;
        }
        int ended = 0;
        try (Connection connection = runs.getConnection()) {
            List<RunningRun> running = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select e.JOBEXECUTIONID, e.BATCHSTATUS, e.CREATETIME, e.JOBPARAMETERS from JOB_EXECUTION e"
                            + " join JOB_INSTANCE i on i.JOBINSTANCEID = e.JOBINSTANCEID"
                            + " where i.JOBNAME = ? and e.BATCHSTATUS in ('STARTING', 'STARTED', 'STOPPING')")) {
                select.setString(1, job);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Timestamp created = rows.getTimestamp(3);
                        running.add(new RunningRun(rows.getLong(1), rows.getString(2), created == null ? null : created.toInstant(),
                                parameters(rows.getString(4))));
                    }
                }
            }
            // the cluster's nodes are read only when a run of another node is marked running
            boolean ofOthers = running.stream().map(run -> run.parameters().getProperty(NODE))
                    .anyMatch(runBy -> runBy != null && !runBy.equals(node));
            Map<String, Boolean> alive = ofOthers ? nodes() : Map.of();
            List<LeftBehind> candidates = new ArrayList<>();
            for (RunningRun run : running) {
                String why = leftBehind(run.parameters(), run.created(), alive);
                if (why != null) {
                    candidates.add(new LeftBehind(run.executionId(), run.status(), why));
                }
            }
            for (LeftBehind run : candidates) {
                if (end(connection, run)) {
                    ended++;
                    LOG.info(() -> "Run " + run.executionId() + " of " + job + " ended as FAILED: " + run.why());
                }
            }
        }
        forgetOldRuns();
        return ended;
    }

    /**
     * {@link #endLeftBehind}, but a database that does not answer is one WARNING line and no
     * exception: the run is then started or not as the job operator sees the job.
     */
    public void endLeftBehindOrSay(String job) {
        try {
            endLeftBehind(job);
        } catch (SQLException | RuntimeException e) {
            LOG.warning(() -> "Runs of " + job + " left behind by a node that died could not be looked for now: " + e.getMessage());
        }
    }

    /** Why a run still marked running is left behind, or null if its node may still run it. */
    String leftBehind(Properties parameters, Instant created, Map<String, Boolean> alive) {
        String runBy = parameters.getProperty(NODE);
        if (runBy == null) {
            return null;
        }
        if (runBy.equals(node)) {
            return incarnation.equals(parameters.getProperty(INCARNATION)) ? null
                    : "node " + runBy + " restarted (or redeployed Courier) before the run ended";
        }
        Boolean seen = alive.get(runBy);
        if (seen == null) {
            boolean old = created == null || created.isBefore(Instant.now().minus(takeoverAfter));
            return old ? "node " + runBy + " is gone from the cluster's nodes and the run is older than "
                    + takeoverAfter.toSeconds() + " s" : null;
        }
        return seen ? null : "node " + runBy + " has not been seen for more than " + takeoverAfter.toSeconds()
                + " s (the takeover time)";
    }

    /** The run and its steps as the tables hold them, if it is a run of {@code job}. */
    public Optional<RecordedRun> read(long executionId, String job) throws SQLException {
        if (runs == null) {
            throw new IllegalStateException("the job repository is not shared: read runs through the job operator");
        }
        try (Connection connection = runs.getConnection()) {
            RecordedRun run;
            try (PreparedStatement select = connection.prepareStatement(
                    "select e.BATCHSTATUS, e.JOBPARAMETERS from JOB_EXECUTION e"
                            + " join JOB_INSTANCE i on i.JOBINSTANCEID = e.JOBINSTANCEID"
                            + " where e.JOBEXECUTIONID = ? and i.JOBNAME = ?")) {
                select.setLong(1, executionId);
                select.setString(2, job);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    run = new RecordedRun(executionId, rows.getString(1), parameters(rows.getString(2)), new ArrayList<>());
                }
            }
            try (PreparedStatement steps = connection.prepareStatement(
                    "select STEPNAME, WRITECOUNT, PERSISTENTUSERDATA from STEP_EXECUTION where JOBEXECUTIONID = ?"
                            + " order by STEPEXECUTIONID")) {
                steps.setLong(1, executionId);
                try (ResultSet rows = steps.executeQuery()) {
                    while (rows.next()) {
                        run.steps().add(new RecordedStep(rows.getString(1), rows.getLong(2), count(rows.getBytes(3))));
                    }
                }
            }
            return Optional.of(run);
        }
    }

    /** Whether the run was still as read, and is now FAILED (with its running steps). */
    private static boolean end(Connection connection, LeftBehind run) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement update = connection.prepareStatement(
                "update JOB_EXECUTION set BATCHSTATUS = 'FAILED', EXITSTATUS = ?, ENDTIME = ?, LASTUPDATEDTIME = ?"
                        + " where JOBEXECUTIONID = ? and BATCHSTATUS = ?")) {
            String exitStatus = "courier: " + run.why();
            update.setString(1, exitStatus.length() > 512 ? exitStatus.substring(0, 512) : exitStatus);
            update.setTimestamp(2, now);
            update.setTimestamp(3, now);
            update.setLong(4, run.executionId());
            update.setString(5, run.status());
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement steps = connection.prepareStatement(
                "update STEP_EXECUTION set BATCHSTATUS = 'FAILED', ENDTIME = ?"
                        + " where JOBEXECUTIONID = ? and BATCHSTATUS in ('STARTING', 'STARTED', 'STOPPING')")) {
            steps.setTimestamp(1, now);
            steps.setLong(2, run.executionId());
            steps.executeUpdate();
        }
        return true;
    }

    /** Forgets Courier's runs that ended longer ago than kept, at most once per {@link #FORGET_EVERY} per node. */
    private void forgetOldRuns() throws SQLException {
        long last = LAST_FORGOTTEN.get();
        long now = System.currentTimeMillis();
        if (now - last < FORGET_EVERY.toMillis() || !LAST_FORGOTTEN.compareAndSet(last, now)) {
            return;
        }
        int forgotten = forgetEndedBefore(Instant.now().minus(kept));
        if (forgotten > 0) {
            LOG.fine(() -> forgotten + " batch run(s) that ended before the last " + kept + " forgotten");
        }
    }

    /** Deletes the runs of Courier's jobs that ended before {@code cutoff} (their steps go with them), and instances left without runs. */
    int forgetEndedBefore(Instant cutoff) throws SQLException {
        try (Connection connection = runs.getConnection()) {
            int deleted;
            try (PreparedStatement delete = connection.prepareStatement(
                    "delete from JOB_EXECUTION where ENDTIME < ? and JOBINSTANCEID in"
                            + " (select JOBINSTANCEID from JOB_INSTANCE where JOBNAME like 'courier-%')")) {
                delete.setTimestamp(1, Timestamp.from(cutoff));
                deleted = delete.executeUpdate();
            }
            try (PreparedStatement orphans = connection.prepareStatement(
                    "delete from JOB_INSTANCE where JOBNAME like 'courier-%' and not exists"
                            + " (select 1 from JOB_EXECUTION e where e.JOBINSTANCEID = JOB_INSTANCE.JOBINSTANCEID)")) {
                orphans.executeUpdate();
            }
            return deleted;
        }
    }

    /** Each node in COURIER_NODE: whether it was seen within the takeover time (the database's time). */
    private Map<String, Boolean> nodes() throws SQLException {
        Map<String, Boolean> alive = new HashMap<>();
        try (Connection connection = courier.getConnection();
             PreparedStatement select = connection.prepareStatement("select NODE_ID, SEEN_AT, LOCALTIMESTAMP from COURIER_NODE");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Duration silent = Duration.between(rows.getTimestamp(2).toInstant(), rows.getTimestamp(3).toInstant());
                alive.put(rows.getString(1), silent.compareTo(takeoverAfter) <= 0);
            }
        }
        return alive;
    }

    /** JBeret's form of job parameters: a line per parameter, {@code key = value}. */
    static Properties parameters(String text) {
        Properties parameters = new Properties();
        if (text == null) {
            return parameters;
        }
        for (String line : text.split("\\R")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                parameters.setProperty(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        return parameters;
    }

    /** A step's count kept as its persistent user data (a serialized Long), or 0. */
    static long count(byte[] persistentUserData) {
        if (persistentUserData == null || persistentUserData.length == 0) {
            return 0;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(persistentUserData))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.lang.Long;java.lang.Number;!*"));
            return in.readObject() instanceof Long count ? count : 0;
        } catch (IOException | ClassNotFoundException | RuntimeException notACount) {
            return 0;
        }
    }

    private record RunningRun(long executionId, String status, Instant created, Properties parameters) {
    }

    private record LeftBehind(long executionId, String status, String why) {
    }

    /** A run as the shared tables hold it. */
    public record RecordedRun(long executionId, String status, Properties parameters, List<RecordedStep> steps) {

        /** The node that ran (or runs) it, if Courier started it. */
        public Optional<String> node() {
            return Optional.ofNullable(parameters.getProperty(NODE));
        }
    }

    /** A step of a run: its write count and the count kept as its persistent user data. */
    public record RecordedStep(String name, long writeCount, long userCount) {
    }
}
