package org.courier.monitoring;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;
import org.courier.message.DeliveryState;

/**
 * What the monitor's overview counts, within an operator's scope, with four grouped queries:
 * for a window of acceptance, per receiver and per interface, the messages accepted and their
 * deliveries by state; and, whatever the window, the deliveries waiting now per receiver
 * (pending, held, in the failure store, in doubt: the backlog, found through the index that
 * leads with the state) and the in-order lanes blocked now. Read-only, in a transaction of its own.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class OperatorOverview {

    private static final List<DeliveryState> WAITING = List.of(DeliveryState.PENDING, DeliveryState.HELD,
            DeliveryState.FAILED, DeliveryState.ERROR, DeliveryState.IN_DOUBT);

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

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
                           Map<String, Counts> waitingNow, Map<String, Long> blockedLanes) {
    }

    public Snapshot take(OperatorScope scope, Instant from, Instant to) {
        // every query names the message m: one condition serves them all
        ScopeCondition inScope = ScopeCondition.jpql(scope, "m.sender", "m.interfaceName");
        Map<String, Counts> receivers = new TreeMap<>();
        Map<String, Counts> interfaces = new TreeMap<>();
        inScope.bind(em.createQuery("select d.receiver, m.interfaceName, d.state, count(d) from Delivery d join d.message m"
                        + " where m.acceptedAt >= :from and m.acceptedAt < :to" + inScope.and()
                        + " group by d.receiver, m.interfaceName, d.state", Object[].class))
                .setParameter("from", from).setParameter("to", to)
                .getResultList()
                .forEach(row -> {
                    DeliveryState state = (DeliveryState) row[2];
                    long n = ((Number) row[3]).longValue();
                    receivers.merge((String) row[0], Counts.NONE.accepting(n).plus(state, n), OperatorOverview::sum);
                    interfaces.merge((String) row[1], Counts.NONE.plus(state, n), OperatorOverview::sum);
                });
        inScope.bind(em.createQuery("select m.interfaceName, count(m) from ReceivedMessage m"
                        + " where m.acceptedAt >= :from and m.acceptedAt < :to" + inScope.and()
                        + " group by m.interfaceName", Object[].class))
                .setParameter("from", from).setParameter("to", to)
                .getResultList()
                .forEach(row -> interfaces.merge((String) row[0], Counts.NONE.accepting(((Number) row[1]).longValue()),
                        OperatorOverview::sum));
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
        return new Snapshot(from, to, receivers, interfaces, waitingNow, blocked);
    }

    private static Counts sum(Counts a, Counts b) {
        return new Counts(a.accepted() + b.accepted(), a.delivered() + b.delivered(), a.pending() + b.pending(),
                a.held() + b.held(), a.failed() + b.failed(), a.inDoubt() + b.inDoubt(), a.cancelled() + b.cancelled());
    }
}
