package org.courier.monitoring;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.courier.message.DeliveryState;

/**
 * Counts Courier's stored work with three queries, each cheap however much has been delivered:
 * the unsettled deliveries are found through the index that leads with the state
 * ({@code IX_COURIER_DELIVERY_DUE}: DELIVERED and CANCELLED rows, the bulk of the table, are
 * never read); blocked lanes from the few stopped deliveries through the lanes' head index
 * ({@code IX_COURIER_LANE_HEAD}); stored messages by the count of the message table's primary
 * key (kept small by retention). Read-only, in a transaction of its own.
 *
 * <p>A lane is blocked when its head is FAILED, ERROR or IN_DOUBT: the queue's later messages
 * wait for a scheduled resend or an operator (under policy SKIP such a head is passed over,
 * so the lane is not blocked).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class DeliveryCensus {

    private static final List<DeliveryState> OPEN = List.of(DeliveryState.PENDING, DeliveryState.HELD,
            DeliveryState.FAILED, DeliveryState.ERROR, DeliveryState.IN_DOUBT);
    private static final List<DeliveryState> STOPPED = List.of(DeliveryState.FAILED, DeliveryState.ERROR,
            DeliveryState.IN_DOUBT);

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    public Census take() {
        return new Census(Instant.now(), openDeliveries(), blockedLanes(), storedMessages());
    }

    private Map<String, Map<DeliveryState, Long>> openDeliveries() {
        Map<String, Map<DeliveryState, Long>> counts = new HashMap<>();
        em.createQuery("select d.receiver, d.state, count(d) from Delivery d where d.state in :open"
                        + " group by d.receiver, d.state", Object[].class)
                .setParameter("open", OPEN)
                .getResultList()
                .forEach(row -> counts.computeIfAbsent((String) row[0], r -> new EnumMap<>(DeliveryState.class))
                        .put((DeliveryState) row[1], ((Number) row[2]).longValue()));
        return counts;
    }

    private Map<String, Long> blockedLanes() {
        Map<String, Long> counts = new HashMap<>();
        em.createQuery("select l.receiver, count(l) from Delivery d, QueueLane l where d.state in :stopped"
                        + " and l.headDeliveryId = d.id group by l.receiver", Object[].class)
                .setParameter("stopped", STOPPED)
                .getResultList()
                .forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    private long storedMessages() {
        return em.createQuery("select count(m) from ReceivedMessage m", Long.class).getSingleResult();
    }
}
