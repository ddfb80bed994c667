package org.courier.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.courier.routing.RoutingTable;

/**
 * This node's heartbeat in the shared database, and the takeover of a node whose heartbeat
 * stopped. Every {@value #BEAT_PROPERTY} (default 5 s) the node writes the database's current time
 * into its row of COURIER_NODE; then it looks for other nodes not seen for longer than
 * {@value #TAKEOVER_PROPERTY} (default 60 s) and takes over their work ({@link Takeover}): a dead
 * node's work is delivered within about that time plus one beat. Once nothing of a dead node's work
 * is left, its row is removed (the survivors stop looking at it; the node adds it back when it
 * starts again). The times are the database's, so nodes on machines whose clocks differ agree. On
 * a single server there is no other node.
 *
 * <p>At every beat the node also takes the routing configuration another node put in force
 * ({@link RoutingTable#follow()}).
 *
 * <p>The takeover time must be longer than any pause of a live node (a long garbage collection, a
 * database that does not answer it): a node taken over while alive loses nothing and sends nothing
 * twice (its own messages of the taken deliveries are outdated and dropped), but a transaction it
 * had prepared in the database is rolled back under it and its commit fails.
 *
 * <p>Failure policy: a beat that fails (the database away) logs one line and changes nothing; the
 * next beat tries again.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class NodeHeartbeat {

    static final String BEAT_PROPERTY = "courier.cluster.heartbeat";
    static final String TAKEOVER_PROPERTY = "courier.cluster.takeover-after";
    static final Duration DEFAULT_BEAT = Duration.ofSeconds(5);
    static final Duration DEFAULT_TAKEOVER = Duration.ofSeconds(60);
    /** The first beat, once the deployment is up (and the schema migrated), writes the node's start. */
    static final long FIRST_BEAT_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class.getName());

    @Resource
    private TimerService timers;

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource dataSource;

    @EJB
    private Takeover takeover;

    @EJB
    private RoutingTable routing;

    private Duration takeoverAfter;
    private final AtomicBoolean beating = new AtomicBoolean();
    private volatile boolean startWritten;
    private volatile boolean failingReported;

    @PostConstruct
    void schedule() {
        Duration beat = duration(BEAT_PROPERTY, DEFAULT_BEAT);
        takeoverAfter = duration(TAKEOVER_PROPERTY, DEFAULT_TAKEOVER);
        timers.createIntervalTimer(FIRST_BEAT_MILLIS, beat.toMillis(), new TimerConfig("courier-node-heartbeat", false));
        LOG.info(() -> "Node " + ClusterNode.ID + ": heartbeat every " + beat.toSeconds() + " s; the work of a node not seen for "
                + takeoverAfter.toSeconds() + " s is taken over");
    }

    @Timeout
    void beat() {
        if (!beating.compareAndSet(false, true)) {
            return;
        }
        try {
            if (startWritten) {
                write("update COURIER_NODE set SEEN_AT = LOCALTIMESTAMP where NODE_ID = ?");
            } else {
                write("update COURIER_NODE set STARTED_AT = LOCALTIMESTAMP, SEEN_AT = LOCALTIMESTAMP where NODE_ID = ?");
                startWritten = true;
            }
            for (Map.Entry<String, Timestamp> dead : deadNodes().entrySet()) {
                takeOver(dead.getKey(), dead.getValue());
            }
            routing.follow();
            failingReported = false;
        } catch (SQLException | RuntimeException e) {
            if (!failingReported) {
                failingReported = true;
                LOG.warning(() -> "Node " + ClusterNode.ID + " could not write its heartbeat or look for dead nodes now"
                        + " (tried again at every beat): " + e.getMessage());
            }
        } finally {
            beating.set(false);
        }
    }

    /**
     * Rolls back what the dead node left prepared, then dispatches its pending deliveries here; with
     * nothing of its work left, removes its row (unless it beat again meanwhile: {@code seen}).
     */
    private void takeOver(String dead, Timestamp seen) throws SQLException {
        int rolledBack = takeover.rollBackPreparedOf(dead);
        int taken = 0;
        int held = 0;
        List<String> pending = takeover.pendingOf(dead);
        for (String deliveryId : pending) {
            try {
                if (takeover.redispatch(deliveryId, dead)) {
                    taken++;
                }
            } catch (RuntimeException lockedOrGone) {
                held++;
            }
        }
        if (rolledBack > 0 || taken > 0 || held > 0) {
            int took = taken;
            int skipped = held;
            LOG.info(() -> "Node " + ClusterNode.ID + " took over from node " + dead + " (not seen for more than "
                    + takeoverAfter.toSeconds() + " s): " + rolledBack + " transaction(s) it left prepared rolled back, "
                    + took + " pending deliveries dispatched again here" + (skipped > 0 ? ", " + skipped
                    + " held by other transactions (next beat)" : ""));
        }
        if (rolledBack == 0 && pending.isEmpty() && retire(dead, seen)) {
            LOG.info(() -> "Node " + ClusterNode.ID + " removed node " + dead + " from the cluster's nodes (COURIER_NODE):"
                    + " not seen since " + seen + " (database time) and nothing of its work left; it is added again"
                    + " when it starts");
        }
    }

    /** Removes the dead node's row if it is still as it was when found dead. */
    private boolean retire(String dead, Timestamp seen) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "delete from COURIER_NODE where NODE_ID = ? and SEEN_AT = ?")) {
            delete.setString(1, dead);
            delete.setTimestamp(2, seen);
            return delete.executeUpdate() == 1;
        }
    }

    /** Writes this node's row with {@code update}, or inserts it (the node's first start, or its row removed). */
    private void write(String update) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (update(connection, update) == 0) {
                update(connection, "insert into COURIER_NODE (NODE_ID, STARTED_AT, SEEN_AT)"
                        + " values (?, LOCALTIMESTAMP, LOCALTIMESTAMP)");
            }
        }
    }

    /** The other nodes whose last heartbeat is older than the takeover time, in the database's time, with that beat. */
    private Map<String, Timestamp> deadNodes() throws SQLException {
        Map<String, Timestamp> dead = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement nodes = connection.prepareStatement(
                     "select NODE_ID, SEEN_AT, LOCALTIMESTAMP from COURIER_NODE where NODE_ID <> ?")) {
            nodes.setString(1, ClusterNode.ID);
            try (ResultSet rows = nodes.executeQuery()) {
                while (rows.next()) {
                    Timestamp seen = rows.getTimestamp(2);
                    Timestamp now = rows.getTimestamp(3);
                    if (Duration.between(seen.toInstant(), now.toInstant()).compareTo(takeoverAfter) > 0) {
                        dead.put(rows.getString(1), seen);
                    }
                }
            }
        }
        return dead;
    }

    private static int update(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, ClusterNode.ID);
            return statement.executeUpdate();
        }
    }

    static Duration duration(String property, Duration fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.trim());
            if (parsed.isNegative() || parsed.isZero()) {
                throw new DateTimeParseException("not positive", value, 0);
            }
            return parsed;
        } catch (DateTimeParseException e) {
            LOG.warning(() -> "-D" + property + "=" + value + " is not a positive ISO-8601 duration (e.g. PT60S): "
                    + fallback.toSeconds() + " s is used");
            return fallback;
        }
    }
}
