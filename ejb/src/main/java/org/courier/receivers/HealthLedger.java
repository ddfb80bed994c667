package org.courier.receivers;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;

/**
 * The database side of receiver health, each step a transaction of its own: writes a node's
 * change (the later change wins), reads every receiver's written state, claims a probe, sends
 * one waiting delivery as a probe and lets waiting deliveries go out again, under their row
 * locks.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class HealthLedger {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private DeliveryDispatcher dispatcher;

    /**
     * Writes the condition unless a later change is written already.
     *
     * @return what is written now: the condition, or the later change found
     */
    public ReceiverCondition write(ReceiverCondition condition) {
        ReceiverHealthRecord record = em.find(ReceiverHealthRecord.class, condition.receiver(), LockModeType.PESSIMISTIC_WRITE);
        if (record == null) {
            em.persist(new ReceiverHealthRecord(condition));
            em.flush();
            return condition;
        }
        if (!condition.since().isAfter(record.since())) {
            return record.condition();
        }
        record.take(condition);
        return condition;
    }

    /** Every receiver's written health. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ReceiverCondition> written() {
        return em.createQuery("select h from ReceiverHealthRecord h", ReceiverHealthRecord.class).getResultStream()
                .map(ReceiverHealthRecord::condition).toList();
    }

    /**
     * Claims the next probe of a DOWN receiver for this node if it is due (the first one {@code every}
     * after it went down, then every {@code every}): one node at a time.
     *
     * @return whether this node probes now
     */
    public boolean claimProbe(String receiver, Instant now, Duration every) {
        return em.createQuery("update ReceiverHealthRecord h set h.nextProbeAt = :next where h.receiver = :receiver"
                        + " and h.state = :down and (h.nextProbeAt <= :now or (h.nextProbeAt is null and h.since <= :firstAt))")
                .setParameter("next", now.plus(every)).setParameter("receiver", receiver)
                .setParameter("down", HealthState.DOWN).setParameter("now", now).setParameter("firstAt", now.minus(every))
                .executeUpdate() == 1;
    }

    /**
     * Sends one waiting delivery of the receiver as a probe: one never attempted, else the one
     * attempted longest ago, so that a message the receiver chokes on does not keep it down.
     *
     * @return the probe's delivery id, if one was waiting
     */
    public Optional<String> probe(String receiver) {
        List<String> candidates = new ArrayList<>(waitingOf(receiver, "d.lastAttemptAt is null", "d.id"));
        candidates.addAll(waitingOf(receiver, "d.lastAttemptAt is not null", "d.lastAttemptAt, d.id"));
        for (String id : candidates) {
            Delivery delivery = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (delivery != null && delivery.isWaitingForReceiver()) {
                delivery.probe();
                dispatcher.dispatchProbe(delivery);
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** A few deliveries waiting for the receiver that match {@code condition}, in {@code order}. */
    private List<String> waitingOf(String receiver, String condition, String order) {
        return em.createQuery("select d.id from Delivery d where d.receiver = :receiver and d.state = :failed"
                        + " and d.nextResendAt is null and " + condition + " order by " + order, String.class)
                .setParameter("receiver", receiver).setParameter("failed", DeliveryState.FAILED)
                .setMaxResults(3).getResultList();
    }

    /** How many deliveries wait for their receiver, by receiver (receivers without any are absent). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Map<String, Long> waiting() {
        Map<String, Long> waiting = new HashMap<>();
        em.createQuery("select d.receiver, count(d) from Delivery d where d.state = :failed and d.nextResendAt is null"
                        + " group by d.receiver", Object[].class)
                .setParameter("failed", DeliveryState.FAILED)
                .getResultStream().forEach(row -> waiting.put((String) row[0], ((Number) row[1]).longValue()));
        return waiting;
    }

    /**
     * Lets up to {@code limit} waiting deliveries of the receiver go out again, in-order lane
     * heads first: each with fresh attempts, as an operator's resend would. Also takes the
     * receiver's failure-store entries that wait for a scheduled resend, which failed while it
     * was going down.
     *
     * @return how many went out
     */
    public int release(String receiver, int limit) {
        List<String> ids = em.createQuery("select d.id from Delivery d where d.receiver = :receiver and d.state = :failed"
                        + " and d.laneId is not null order by d.sequenceNo, d.id", String.class)
                .setParameter("receiver", receiver).setParameter("failed", DeliveryState.FAILED)
                .setMaxResults(limit).getResultList();
        if (ids.size() < limit) {
            ids = new ArrayList<>(ids);
            ids.addAll(em.createQuery("select d.id from Delivery d where d.receiver = :receiver and d.state = :failed"
                            + " and d.laneId is null order by d.id", String.class)
                    .setParameter("receiver", receiver).setParameter("failed", DeliveryState.FAILED)
                    .setMaxResults(limit - ids.size()).getResultList());
        }
        int released = 0;
        for (String id : ids) {
            Delivery delivery = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (delivery != null && delivery.state() == DeliveryState.FAILED) {
                delivery.release();
                dispatcher.dispatch(delivery);
                released++;
            }
        }
        return released;
    }
}
