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
import org.courier.operations.LaneState;

/**
 * Counts Courier's stored work with three queries, each cheap however much has been delivered:
 * the unsettled deliveries are found through the index that leads with the state
 * ({@code IX_COURIER_DELIVERY_DUE}: DELIVERED and CANCELLED rows, the bulk of the table, are
 * never read); blocked lanes from the lanes that have a head, joined to it by primary key;
 * stored messages by the count of the message table's primary key (kept small by retention).
 * Read-only, in a transaction of its own.
 *
 * <p>A lane is blocked as the queue view and the monitor say it ({@link LaneState#BLOCKED}): its
 * head has failed at least once, or stopped (FAILED, ERROR, IN_DOUBT), and the queue's later
 * messages wait behind it.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class DeliveryCensus {

    private static final List<DeliveryState> OPEN = List.of(DeliveryState.PENDING, DeliveryState.HELD,
            DeliveryState.FAILED, DeliveryState.ERROR, DeliveryState.IN_DOUBT);

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
        em.createQuery("select l.receiver, count(l) from QueueLane l, Delivery d where l.headDeliveryId = d.id"
                        + " and (d.state <> :pending or d.attempts > 0) group by l.receiver", Object[].class)
                .setParameter("pending", DeliveryState.PENDING)
                .getResultList()
                .forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    private long storedMessages() {
        return em.createQuery("select count(m) from ReceivedMessage m", Long.class).getSingleResult();
    }
}
