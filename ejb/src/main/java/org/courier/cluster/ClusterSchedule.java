package org.courier.cluster;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Makes a schedule run once per cluster, not once per node. Every node keeps its own timer (a
 * non-persistent EJB timer, as on a single server); when it fires, the node asks here whether it
 * may run. The run of a schedule is claimed in table COURIER_SCHEDULE: the node that first finds
 * the schedule due (its NEXT_RUN_AT passed, in the database's time) moves NEXT_RUN_AT on by the
 * interval less a little slack, compare-and-set on the value it read, so of nodes claiming at once
 * exactly one wins; the others find it not due until the next interval. The slack (a tenth of the
 * interval, at most {@value #MAX_SLACK_SECONDS} s) lets the node that ran last claim again at its
 * next tick, though timers fire a few milliseconds early or late. A run claimed further ahead than
 * one interval from now (the interval was shortened since) is due at once.
 *
 * <p>A node that dies holds nothing: the schedule simply comes due again, and the next node whose
 * timer fires runs it. A node killed between its claim and its run misses that one run; the work
 * is the next run's (due failure-store entries stay due, expired messages stay expired, due
 * aggregates stay due: every schedule works from the database). On a single server every tick
 * claims.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterSchedule {

    static final long MAX_SLACK_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(ClusterSchedule.class.getName());
    /** Schedules whose last claim failed: the failure is logged once, not at every tick. */
    private static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource dataSource;

    public ClusterSchedule() {
    }

    ClusterSchedule(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Whether this node runs schedule {@code name} now, whose timer fires every {@code interval}:
     * true for exactly one of the nodes asking while it is due. If the database does not answer,
     * not now (one WARNING line until a claim works again): the next tick asks again.
     */
    public boolean runsHere(String name, Duration interval) {
        try {
            boolean claimed = claim(name, interval, ClusterNode.ID);
            if (FAILING.remove(name)) {
                LOG.info(() -> "Schedule " + name + " can be claimed again");
            }
            return claimed;
        } catch (SQLException | RuntimeException e) {
            if (FAILING.add(name)) {
                LOG.warning(() -> "Schedule " + name + " not run now: its run could not be claimed in the database"
                        + " (asked again at every tick): " + e.getMessage());
            }
            return false;
        }
    }

    boolean claim(String name, Duration interval, String node) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Timestamp next;
            Timestamp now;
            try (PreparedStatement due = connection.prepareStatement(
                    "select NEXT_RUN_AT, LOCALTIMESTAMP from COURIER_SCHEDULE where NAME = ?")) {
                due.setString(1, name);
                try (ResultSet row = due.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("no schedule " + name + " in COURIER_SCHEDULE (schema migration V11)");
                    }
                    next = row.getTimestamp(1);
                    now = row.getTimestamp(2);
                }
            }
            LocalDateTime claimedUntil = now.toLocalDateTime().plus(interval).minus(slack(interval));
            if (next.after(now) && !next.toLocalDateTime().isAfter(claimedUntil)) {
                return false;
            }
            try (PreparedStatement take = connection.prepareStatement("update COURIER_SCHEDULE set NEXT_RUN_AT = ?,"
                    + " LAST_RUN_BY = ?, LAST_RUN_AT = ? where NAME = ? and NEXT_RUN_AT = ?")) {
                take.setTimestamp(1, Timestamp.valueOf(claimedUntil));
                take.setString(2, node);
                take.setTimestamp(3, now);
                take.setString(4, name);
                take.setTimestamp(5, next);
                return take.executeUpdate() == 1;
            }
        }
    }

    static Duration slack(Duration interval) {
        Duration tenth = interval.dividedBy(10);
        Duration max = Duration.ofSeconds(MAX_SLACK_SECONDS);
        return tenth.compareTo(max) > 0 ? max : tenth;
    }
}
