package org.courier.retention;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Purges settled messages whose retention period has passed: the message (idempotency record
 * and payload) and its deliveries go, a {@link Tombstone} stays — all in the caller's
 * transaction, so at no moment is there neither.
 *
 * <p>Invariant: a message is purged only when every one of its deliveries is final
 * ({@code DELIVERED} or {@code CANCELLED}) and it was settled longer ago than its period
 * ({@link RetentionPolicy#period(boolean)}); checked again under the message's row lock
 * right before it is deleted, so a stale candidate list, a restarted run or a run on another
 * node never purge what is not due. In-order queues and lanes are never touched: their
 * numbering goes on.
 */
@Stateless
public class MessagePurge {

    private static final Logger LOG = Logger.getLogger(MessagePurge.class.getName());

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private RetentionPeriods periods;

    /** Keys (COURIER_MESSAGE.ID) of messages due for purging as of {@code cutoff}, longest settled first. */
    public List<String> purgeable(Instant cutoff, int limit) {
        List<?> keys = withCutoffs(em.createNativeQuery(SettledMessages.DUE), 1, cutoff)
                .setMaxResults(limit)
                .getResultList();
        return keys.stream().map(String.class::cast).toList();
    }

    /**
     * Purges the message if it is (still) due as of {@code cutoff}, leaving its tombstone.
     *
     * @return whether it was purged; {@code false} if it is gone already or not due (any more)
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public boolean purge(String messageKey, Instant cutoff) {
        if (!lock(messageKey) || !isDue(messageKey, cutoff)) {
            return false;
        }
        if (headsALane(messageKey)) {
            LOG.warning(() -> "Message " + messageKey + " is settled but still heads an in-order lane: not purged");
            return false;
        }
        Instant purgedAt = latest(Instant.now(), cutoff);
        em.createNativeQuery(SettledMessages.BURY)
                .setParameter(1, Timestamp.from(purgedAt))
                .setParameter(2, messageKey)
                .executeUpdate();
        em.createNativeQuery("DELETE FROM COURIER_ATTEMPT WHERE DELIVERY_ID IN (SELECT ID FROM COURIER_DELIVERY WHERE MESSAGE_KEY = ?)")
                .setParameter(1, messageKey).executeUpdate();
        em.createNativeQuery("DELETE FROM COURIER_DELIVERY WHERE MESSAGE_KEY = ?").setParameter(1, messageKey).executeUpdate();
        em.createNativeQuery("DELETE FROM COURIER_MESSAGE WHERE ID = ?").setParameter(1, messageKey).executeUpdate();
        return true;
    }

    /** Takes the message's row lock for the rest of the transaction; {@code false} if the message is gone. */
    private boolean lock(String messageKey) {
        return !em.createNativeQuery("SELECT ID FROM COURIER_MESSAGE WHERE ID = ? FOR UPDATE")
                .setParameter(1, messageKey)
                .getResultList()
                .isEmpty();
    }

    private boolean isDue(String messageKey, Instant cutoff) {
        return !withCutoffs(em.createNativeQuery(SettledMessages.DUE_ONE).setParameter(1, messageKey), 2, cutoff)
                .getResultList()
                .isEmpty();
    }

    /** Defensive: a lane's head is never final, so this never holds while lanes are kept right. */
    private boolean headsALane(String messageKey) {
        Number heads = (Number) em.createNativeQuery(SettledMessages.HEADS).setParameter(1, messageKey).getSingleResult();
        return heads.longValue() > 0;
    }

    /** Binds the instants before which a message settled without, and with, trouble is due. */
    private Query withCutoffs(Query query, int firstPosition, Instant cutoff) {
        RetentionPolicy policy = periods.policy();
        return query.setParameter(firstPosition, Timestamp.from(policy.settledBefore(cutoff, false)))
                .setParameter(firstPosition + 1, Timestamp.from(policy.settledBefore(cutoff, true)));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
