package org.courier.monitoring;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;
import org.courier.message.DeliveryState;

/**
 * What the monitor's overview counts, within an operator's scope: for a window of acceptance, per
 * receiver and per interface, the messages accepted (from the per-minute rows of {@link
 * MinuteRollup}) and their deliveries by state (those not delivered found through the index that
 * leads with the state; the rest are delivered), and the traffic and backlog over the window as a
 * chart; and, whatever the window, the deliveries waiting now per receiver (pending, held, in the
 * failure store, in doubt) and the in-order lanes blocked now. None of its queries reads the
 * delivered messages one by one: it answers as fast with a million of them. Read-only, in a
 * transaction of its own.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class OperatorOverview {

    private static final List<DeliveryState> WAITING = List.of(DeliveryState.PENDING, DeliveryState.HELD,
            DeliveryState.FAILED, DeliveryState.ERROR, DeliveryState.IN_DOUBT);

    /** Every state but DELIVERED. */
    private static final List<DeliveryState> NOT_DELIVERED = List.of(DeliveryState.PENDING, DeliveryState.HELD,
            DeliveryState.FAILED, DeliveryState.ERROR, DeliveryState.IN_DOUBT, DeliveryState.CANCELLED);

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private MinuteRollup rollup;

    /**
     * How a receiver's or an interface's deliveries stand: {@code accepted} counts messages (of an
     * interface) or deliveries (to a receiver); the others count deliveries by state; {@code failed}
     * is FAILED and ERROR, the failure store.
     */
    public record Counts(long accepted, long delivered, long pending, long held, long failed, long inDoubt,
                         long cancelled) {

        /** Nothing counted. */
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

        Counts plus(DeliveryState state, long n) {
            return new Counts(accepted, delivered + (state == DeliveryState.DELIVERED ? n : 0),
                    pending + (state == DeliveryState.PENDING ? n : 0), held + (state == DeliveryState.HELD ? n : 0),
                    failed + (state.isInFailureStore() ? n : 0), inDoubt + (state == DeliveryState.IN_DOUBT ? n : 0),
                    cancelled + (state == DeliveryState.CANCELLED ? n : 0));
        }

        Counts accepting(long n) {
            return new Counts(accepted + n, delivered, pending, held, failed, inDoubt, cancelled);
        }

        /** Of {@code deliveries} accepted, those not counted in another state are delivered. */
        Counts delivering(long deliveries) {
            return new Counts(accepted, Math.max(0, deliveries - waiting() - cancelled), pending, held, failed, inDoubt,
                    cancelled);
        }

        /** Pending, held, failed and in doubt: what still waits. */
        public long waiting() {
            return pending + held + failed + inDoubt;
        }
    }

    /**
     * The overview of [from, to): per receiver and per interface (sorted by name) the window's
     * counts; per receiver what waits now (any window); the lanes blocked now.
     */
    public record Snapshot(Instant from, Instant to, Map<String, Counts> receivers, Map<String, Counts> interfaces,
                           Map<String, Counts> waitingNow, Map<String, Long> blockedLanes, Chart chart) {
    }

    public Snapshot take(OperatorScope scope, Instant from, Instant to) {
        // every query names the message m: one condition serves them all
        ScopeCondition inScope = ScopeCondition.jpql(scope, "m.sender", "m.interfaceName");
        Map<String, Counts> receivers = new TreeMap<>();
        Map<String, Counts> interfaces = new TreeMap<>();
        Map<String, Long> deliveriesOfInterface = new HashMap<>();
        Map<MinuteRollup.Key, MinuteRollup.Count> traffic = rollup.traffic(scope, from, to);
        traffic.forEach((key, count) -> {
            if (key.receiver().equals(MinuteRollup.WHOLE)) {
                interfaces.merge(key.interfaceName(), Counts.NONE.accepting(count.accepted()), OperatorOverview::sum);
            } else if (count.accepted() > 0) {
                receivers.merge(key.receiver(), Counts.NONE.accepting(count.accepted()), OperatorOverview::sum);
                deliveriesOfInterface.merge(key.interfaceName(), count.accepted(), Long::sum);
            }
        });
        // the window's deliveries not delivered, found through the index that leads with the state;
        // the delivered are the rest: a window of a million delivered messages reads none of them
        inScope.bind(em.createQuery("select d.receiver, m.interfaceName, d.state, count(d) from Delivery d join d.message m"
                        + " where d.state in :open and m.acceptedAt >= :from and m.acceptedAt < :to" + inScope.and()
                        + " group by d.receiver, m.interfaceName, d.state", Object[].class))
                .setParameter("open", NOT_DELIVERED).setParameter("from", from).setParameter("to", to)
                .getResultList()
                .forEach(row -> {
                    DeliveryState state = (DeliveryState) row[2];
                    long n = ((Number) row[3]).longValue();
                    receivers.merge((String) row[0], Counts.NONE.plus(state, n), OperatorOverview::sum);
                    interfaces.merge((String) row[1], Counts.NONE.plus(state, n), OperatorOverview::sum);
                });
        receivers.replaceAll((name, c) -> c.delivering(c.accepted()));
        interfaces.replaceAll((name, c) -> c.delivering(deliveriesOfInterface.getOrDefault(name, 0L)));
        Map<String, Counts> waitingNow = new TreeMap<>();
        inScope.bind(em.createQuery("select d.receiver, d.state, count(d) from Delivery d join d.message m"
                        + " where d.state in :waiting" + inScope.and() + " group by d.receiver, d.state", Object[].class))
                .setParameter("waiting", WAITING)
                .getResultList()
                .forEach(row -> waitingNow.merge((String) row[0],
                        Counts.NONE.plus((DeliveryState) row[1], ((Number) row[2]).longValue()), OperatorOverview::sum));
        Map<String, Long> blocked = new TreeMap<>();
        inScope.bind(em.createQuery("select l.receiver, count(l) from QueueLane l, Delivery d join d.message m"
                        + " where l.headDeliveryId = d.id and (d.state <> :pending or d.attempts > 0)" + inScope.and()
                        + " group by l.receiver", Object[].class))
                .setParameter("pending", DeliveryState.PENDING)
                .getResultList()
                .forEach(row -> blocked.put((String) row[0], ((Number) row[1]).longValue()));
        return new Snapshot(from, to, receivers, interfaces, waitingNow, blocked,
                Chart.of(from, to, traffic, rollup.backlog(scope, from, to)));
    }

    /**
     * The window's traffic over time, in buckets of whole minutes (as many as keep the chart to at
     * most {@value Chart#MAX_POINTS} points): deliveries accepted and delivered in each, and the
     * largest backlog sampled in it ({@code null}: not sampled, Courier was down).
     */
    public record Chart(Duration bucket, List<Point> points) {

        static final int MAX_POINTS = 360;
        private static final List<Duration> BUCKETS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12));

        /** One bucket: from {@code at}, deliveries accepted and delivered, the largest backlog sampled. */
        public record Point(Instant at, long accepted, long delivered, Long backlog) {
        }

        static Chart of(Instant from, Instant to, Map<MinuteRollup.Key, MinuteRollup.Count> traffic,
                        Map<Instant, Long> backlog) {
            Duration window = Duration.between(from, to);
            Duration bucket = BUCKETS.stream().filter(b -> window.dividedBy(b) < MAX_POINTS).findFirst()
                    .orElse(BUCKETS.get(BUCKETS.size() - 1));
            long size = bucket.getSeconds();
            Instant first = Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), size) * size);
            int n = (int) Math.max(1, (to.getEpochSecond() - first.getEpochSecond() + size - 1) / size);
            long[] accepted = new long[n];
            long[] delivered = new long[n];
            Long[] waiting = new Long[n];
            traffic.forEach((key, count) -> {
                int i = index(key.minute(), first, size, n);
                if (i >= 0 && !key.receiver().equals(MinuteRollup.WHOLE)) {
                    accepted[i] += count.accepted();
                    delivered[i] += count.delivered();
                }
            });
            backlog.forEach((minute, value) -> {
                int i = index(minute, first, size, n);
                if (i >= 0) {
                    waiting[i] = waiting[i] == null ? value : Math.max(waiting[i], value);
                }
            });
            List<Point> points = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                points.add(new Point(first.plusSeconds(i * size), accepted[i], delivered[i], waiting[i]));
            }
            return new Chart(bucket, points);
        }

        private static int index(Instant minute, Instant first, long size, int n) {
            long i = Math.floorDiv(minute.getEpochSecond() - first.getEpochSecond(), size);
            return i >= 0 && i < n ? (int) i : -1;
        }
    }

    private static Counts sum(Counts a, Counts b) {
        return new Counts(a.accepted() + b.accepted(), a.delivered() + b.delivered(), a.pending() + b.pending(),
                a.held() + b.held(), a.failed() + b.failed(), a.inDoubt() + b.inDoubt(), a.cancelled() + b.cancelled());
    }
}
