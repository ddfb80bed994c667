package org.courier.delivery;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import org.courier.message.AttemptOutcome;
import org.courier.message.DeliveryAttempt;

/**
 * The attempt log of non-idempotent receivers: each attempt is written, and committed, before
 * its request is sent ({@link #begin}); one that then gets no outcome is in doubt.
 */
@Stateless
public class DeliveryAttempts {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    /**
     * Starts an attempt and commits it before the caller sends the request. Attempts of the
     * delivery still open get {@code closeOpenAs} first (the caller has resolved their doubt).
     *
     * @param redispatched whether the delivery was dispatched before (a retry, a resend round):
     *                     only then can an earlier attempt have been retried in doubt, so the
     *                     first attempt of a message costs no look-up
     * @return the new attempt's id, and whether the request is a possible duplicate (an earlier
     *         attempt was in doubt and retried)
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Begun begin(String deliveryId, AttemptOutcome closeOpenAs, String detail, boolean redispatched) {
        Instant now = Instant.now();
        if (closeOpenAs != null) {
            endOpen(deliveryId, closeOpenAs, detail, now);
        }
        DeliveryAttempt attempt = new DeliveryAttempt(deliveryId, now);
        em.persist(attempt);
        boolean possibleDuplicate = closeOpenAs == AttemptOutcome.RETRIED_IN_DOUBT
                || redispatched && possibleDuplicates(deliveryId) > 0;
        return new Begun(attempt.id(), possibleDuplicate);
    }

    /** The attempts of this delivery that have no outcome: in doubt, unless one is running right now. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<DeliveryAttempt> open(String deliveryId) {
        return em.createNamedQuery(DeliveryAttempt.OPEN_OF_DELIVERY, DeliveryAttempt.class)
                .setParameter("deliveryId", deliveryId)
                .getResultList();
    }

    /** Gives the open attempts of this delivery their outcome, in the caller's transaction. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void endOpen(String deliveryId, AttemptOutcome outcome, String detail) {
        endOpen(deliveryId, outcome, detail, Instant.now());
    }

    /** Gives one attempt its outcome, in the caller's transaction. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void end(String attemptId, AttemptOutcome outcome, String detail) {
        DeliveryAttempt attempt = em.find(DeliveryAttempt.class, attemptId);
        if (attempt != null) {
            attempt.end(outcome, Instant.now(), detail);
        }
    }

    /** How often this delivery was sent again after an attempt in doubt (policy RETRY). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long possibleDuplicates(String deliveryId) {
        return em.createNamedQuery(DeliveryAttempt.COUNT_WITH_OUTCOME, Long.class)
                .setParameter("deliveryId", deliveryId)
                .setParameter("outcome", AttemptOutcome.RETRIED_IN_DOUBT)
                .getSingleResult();
    }

    private void endOpen(String deliveryId, AttemptOutcome outcome, String detail, Instant at) {
        open(deliveryId).forEach(attempt -> attempt.end(outcome, at, detail));
    }

    /** A started attempt. */
    public record Begun(String attemptId, boolean possibleDuplicate) {
    }
}
