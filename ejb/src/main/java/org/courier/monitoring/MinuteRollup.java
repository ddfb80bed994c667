package org.courier.monitoring;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * Courier's traffic per minute, kept so that the overview answers at once however many messages
 * are stored (tables COURIER_MINUTE, COURIER_BACKLOG, COURIER_ROLLUP; V14). {@link #advance} is
 * the schedule's step: it counts the minutes closed since its last step from the messages and
 * deliveries themselves (and the last {@link #RECOUNT} again, for transactions that committed after
 * their minute ended), older minutes back to the oldest message {@link #CHUNK} at a time, and
 * samples the backlog once per minute. {@link #traffic} reads the counts of a window: from the rows
 * for whole minutes they cover, counted from the messages for the rest (the window's ragged ends,
 * the minutes since the last step). Every count is the database's own: nothing is kept in memory,
 * so neither a restart nor a second node loses or doubles any.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class MinuteRollup {

    /** The minutes counted again at every step: a transaction may commit after the minute it began in. */
    static final Duration RECOUNT = Duration.ofMinutes(3);
    /** The most one step counts: 6 hours of traffic. */
    static final Duration CHUNK = Duration.ofHours(6);
    /** How far back the rows reach (the longest window is 31 days). */
    static final Duration HORIZON = Duration.ofDays(32);
    /** The receiver of the rows that count messages; sender, interface and receiver of the backlog's total. */
    static final String WHOLE = "";
    private static final String NAME = "minutes";

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    /** A minute's traffic of a sender's interface to a receiver ({@link #WHOLE}: its messages). */
    public record Key(Instant minute, String sender, String interfaceName, String receiver) implements Comparable<Key> {

        @Override
        public int compareTo(Key o) {
            int c = minute.compareTo(o.minute);
            c = c != 0 ? c : sender.compareTo(o.sender);
            c = c != 0 ? c : interfaceName.compareTo(o.interfaceName);
            return c != 0 ? c : receiver.compareTo(o.receiver);
        }
    }

    /** Deliveries accepted (messages, for a {@link #WHOLE} receiver) and delivered. */
    public record Count(long accepted, long delivered) {

        Count plus(Count o) {
            return new Count(accepted + o.accepted, delivered + o.delivered);
        }
    }

    /** What a step did: the minutes it counted (forward and back), whether it sampled the backlog. */
    public record Step(Instant coveredFrom, Instant coveredTo, int minutesCounted, boolean sampled) {
    }

    /** One step of the schedule at {@code now}: see the class. One transaction; the rollup's row lock keeps steps apart. */
    public Step advance(Instant now) {
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        Object[] mark = (Object[]) em.createNativeQuery(
                "SELECT COVERED_FROM, COVERED_TO FROM COURIER_ROLLUP WHERE NAME = ? FOR UPDATE")
                .setParameter(1, NAME).getSingleResult();
        Instant from = instant(mark[0]);
        Instant to = instant(mark[1]);
        if (to == null || to.isAfter(current)) {
            from = current;
            to = current;
        }
        Instant horizon = current.minus(HORIZON);
        int counted = 0;
        // forward: the minutes closed since the last step, and the last few again
        Instant forwardFrom = later(from, to.minus(RECOUNT));
        Instant forwardTo = earlier(current, to.plus(CHUNK));
        counted += recount(forwardFrom, forwardTo);
        to = forwardTo;
        // back: minutes before the rows began, to the oldest message within the horizon
        Instant oldest = instant(em.createNativeQuery("SELECT MIN(ACCEPTED_AT) FROM COURIER_MESSAGE").getSingleResult());
        Instant floor = oldest == null ? from : later(horizon, oldest.truncatedTo(ChronoUnit.MINUTES));
        if (from.isAfter(floor)) {
            Instant backFrom = later(floor, from.minus(CHUNK));
            counted += recount(backFrom, from);
            from = backFrom;
        }
        if (from.isBefore(horizon)) {
            from = horizon;
        }
        em.createNativeQuery("DELETE FROM COURIER_MINUTE WHERE MINUTE_AT < ?").setParameter(1, timestamp(horizon))
                .executeUpdate();
        em.createNativeQuery("DELETE FROM COURIER_BACKLOG WHERE SAMPLED_AT < ?").setParameter(1, timestamp(horizon))
                .executeUpdate();
        em.createNativeQuery("UPDATE COURIER_ROLLUP SET COVERED_FROM = ?, COVERED_TO = ? WHERE NAME = ?")
                .setParameter(1, timestamp(from)).setParameter(2, timestamp(to)).setParameter(3, NAME).executeUpdate();
        return new Step(from, to, counted, sample(current));
    }

    /**
     * The traffic of [from, to) within the operator's scope, per minute, sender, interface and
     * receiver: deliveries accepted and delivered, and ({@link #WHOLE} receiver) messages accepted.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Map<Key, Count> traffic(OperatorScope scope, Instant from, Instant to) {
        Object[] mark = (Object[]) em.createNativeQuery("SELECT COVERED_FROM, COVERED_TO FROM COURIER_ROLLUP WHERE NAME = ?")
                .setParameter(1, NAME).getSingleResult();
        Instant coveredFrom = instant(mark[0]);
        Instant coveredTo = instant(mark[1]);
        Map<Key, Count> traffic = new TreeMap<>();
        Instant rowsFrom = coveredFrom == null ? null : later(ceilingMinute(from), coveredFrom);
        Instant rowsTo = coveredTo == null ? null : earlier(to.truncatedTo(ChronoUnit.MINUTES), coveredTo);
        if (rowsFrom == null || !rowsFrom.isBefore(rowsTo)) {
            count(from, to, ScopeCondition.sql(scope, "m.SENDER", "m.INTERFACE_NAME"), traffic);
            return traffic;
        }
        count(from, rowsFrom, ScopeCondition.sql(scope, "m.SENDER", "m.INTERFACE_NAME"), traffic);
        ScopeCondition inScope = ScopeCondition.sql(scope, "SENDER", "INTERFACE_NAME");
        rows(bind(em.createNativeQuery("SELECT MINUTE_AT, SENDER, INTERFACE_NAME, RECEIVER, ACCEPTED, DELIVERED"
                + " FROM COURIER_MINUTE WHERE MINUTE_AT >= ? AND MINUTE_AT < ?" + inScope.and()), rowsFrom, rowsTo, inScope))
                .forEach(row -> traffic.merge(key(row), new Count(number(row[4]), number(row[5])), Count::plus));
        count(rowsTo, to, ScopeCondition.sql(scope, "m.SENDER", "m.INTERFACE_NAME"), traffic);
        return traffic;
    }

    /**
     * The backlog sampled in [from, to) within the scope, per minute sampled: the minutes not
     * sampled (Courier was down) are absent.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Map<Instant, Long> backlog(OperatorScope scope, Instant from, Instant to) {
        Map<Instant, Long> backlog = new TreeMap<>();
        rows(bind(em.createNativeQuery("SELECT SAMPLED_AT FROM COURIER_BACKLOG WHERE SAMPLED_AT >= ? AND SAMPLED_AT < ?"
                + " AND RECEIVER = '" + WHOLE + "'"), from, to, null))
                .forEach(row -> backlog.put(instant(row[0]), 0L));
        ScopeCondition inScope = ScopeCondition.sql(scope, "SENDER", "INTERFACE_NAME");
        rows(bind(em.createNativeQuery("SELECT SAMPLED_AT, SUM(WAITING) FROM COURIER_BACKLOG WHERE SAMPLED_AT >= ?"
                + " AND SAMPLED_AT < ? AND RECEIVER <> '" + WHOLE + "'" + inScope.and() + " GROUP BY SAMPLED_AT"),
                from, to, inScope))
                .forEach(row -> backlog.merge(instant(row[0]), number(row[1]), Long::sum));
        return backlog;
    }

    /** Counts [from, to) again from the messages and deliveries into the rows; the minutes counted. */
    private int recount(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return 0;
        }
        em.createNativeQuery("DELETE FROM COURIER_MINUTE WHERE MINUTE_AT >= ? AND MINUTE_AT < ?")
                .setParameter(1, timestamp(from)).setParameter(2, timestamp(to)).executeUpdate();
        Map<Key, Count> counts = new TreeMap<>();
        count(from, to, ScopeCondition.sql(OperatorScope.EVERYTHING, null, null), counts);
        Query insert = em.createNativeQuery("INSERT INTO COURIER_MINUTE (MINUTE_AT, SENDER, INTERFACE_NAME, RECEIVER,"
                + " ACCEPTED, DELIVERED) VALUES (?, ?, ?, ?, ?, ?)");
        counts.forEach((key, count) -> insert.setParameter(1, timestamp(key.minute())).setParameter(2, key.sender())
                .setParameter(3, key.interfaceName()).setParameter(4, key.receiver()).setParameter(5, count.accepted())
                .setParameter(6, count.delivered()).executeUpdate());
        return (int) Duration.between(from, to).toMinutes();
    }

    /** Counts the traffic of [from, to) from the messages and deliveries (through the indexes on their times). */
    private void count(Instant from, Instant to, ScopeCondition inScope, Map<Key, Count> into) {
        if (!from.isBefore(to)) {
            return;
        }
        String accepted = "date_trunc('minute', m.ACCEPTED_AT)";
        rows(bind(em.createNativeQuery("SELECT " + accepted + ", m.SENDER, m.INTERFACE_NAME, d.RECEIVER, COUNT(*)"
                + " FROM COURIER_MESSAGE m JOIN COURIER_DELIVERY d ON d.MESSAGE_KEY = m.ID"
                + " WHERE m.ACCEPTED_AT >= ? AND m.ACCEPTED_AT < ?" + inScope.and()
                + " GROUP BY " + accepted + ", m.SENDER, m.INTERFACE_NAME, d.RECEIVER"), from, to, inScope))
                .forEach(row -> into.merge(key(row), new Count(number(row[4]), 0), Count::plus));
        rows(bind(em.createNativeQuery("SELECT " + accepted + ", m.SENDER, m.INTERFACE_NAME, COUNT(*)"
                + " FROM COURIER_MESSAGE m WHERE m.ACCEPTED_AT >= ? AND m.ACCEPTED_AT < ?" + inScope.and()
                + " GROUP BY " + accepted + ", m.SENDER, m.INTERFACE_NAME"), from, to, inScope))
                .forEach(row -> into.merge(new Key(instant(row[0]), (String) row[1], (String) row[2], WHOLE),
                        new Count(number(row[3]), 0), Count::plus));
        String delivered = "date_trunc('minute', d.DELIVERED_AT)";
        rows(bind(em.createNativeQuery("SELECT " + delivered + ", m.SENDER, m.INTERFACE_NAME, d.RECEIVER, COUNT(*)"
                + " FROM COURIER_DELIVERY d JOIN COURIER_MESSAGE m ON m.ID = d.MESSAGE_KEY"
                + " WHERE d.DELIVERED_AT >= ? AND d.DELIVERED_AT < ?" + inScope.and()
                + " GROUP BY " + delivered + ", m.SENDER, m.INTERFACE_NAME, d.RECEIVER"), from, to, inScope))
                .forEach(row -> into.merge(key(row), new Count(0, number(row[4])), Count::plus));
    }

    /** Samples the backlog for {@code minute} unless a step did already; whether this one did. */
    private boolean sample(Instant minute) {
        Number done = (Number) em.createNativeQuery("SELECT COUNT(*) FROM COURIER_BACKLOG WHERE SAMPLED_AT = ?"
                + " AND RECEIVER = '" + WHOLE + "'").setParameter(1, timestamp(minute)).getSingleResult();
        if (done.longValue() > 0) {
            return false;
        }
        Query insert = em.createNativeQuery("INSERT INTO COURIER_BACKLOG (SAMPLED_AT, SENDER, INTERFACE_NAME, RECEIVER,"
                + " WAITING) VALUES (?, ?, ?, ?, ?)");
        long total = 0;
        for (Object[] row : rows(em.createNativeQuery("SELECT m.SENDER, m.INTERFACE_NAME, d.RECEIVER, COUNT(*)"
                + " FROM COURIER_DELIVERY d JOIN COURIER_MESSAGE m ON m.ID = d.MESSAGE_KEY"
                + " WHERE d.STATE IN ('PENDING', 'HELD', 'FAILED', 'ERROR', 'IN_DOUBT')"
                + " GROUP BY m.SENDER, m.INTERFACE_NAME, d.RECEIVER"))) {
            long waiting = number(row[3]);
            total += waiting;
            insert.setParameter(1, timestamp(minute)).setParameter(2, row[0]).setParameter(3, row[1])
                    .setParameter(4, row[2]).setParameter(5, waiting).executeUpdate();
        }
        insert.setParameter(1, timestamp(minute)).setParameter(2, WHOLE).setParameter(3, WHOLE).setParameter(4, WHOLE)
                .setParameter(5, total).executeUpdate();
        return true;
    }

    private static Query bind(Query query, Instant from, Instant to, ScopeCondition inScope) {
        query.setParameter(1, timestamp(from)).setParameter(2, timestamp(to));
        if (inScope != null) {
            List<Object> values = inScope.parameters();
            for (int i = 0; i < values.size(); i++) {
                query.setParameter(i + 3, values.get(i));
            }
        }
        return query;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query query) {
        List<Object[]> rows = new ArrayList<>();
        for (Object row : query.getResultList()) {
            rows.add(row instanceof Object[] columns ? columns : new Object[] {row});
        }
        return rows;
    }

    private static Key key(Object[] row) {
        return new Key(instant(row[0]), (String) row[1], (String) row[2], (String) row[3]);
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** A timestamp column's value as an instant (the columns hold the server's local time, as JPA writes them). */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime t) {
            return t.atZone(ZoneId.systemDefault()).toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass().getName());
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }

    private static Instant ceilingMinute(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(t) ? t : floor.plus(Duration.ofMinutes(1));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
