package org.courier.steps;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import org.courier.retention.RetentionPeriods;

/**
 * Runs a processing step with a side effect once per message: the step's record (step name,
 * message key) is written in the caller's transaction, the one that holds the effect, so the
 * two commit or roll back together. A step that ran before (committed) is skipped. Two
 * concurrent runs of one step for one message both find no record; the unique key lets only
 * the first to commit keep its effect, the other's transaction fails and rolls its effect back
 * (a consumer's transaction is then redelivered and finds the record).
 *
 * <p>Records are kept for the idempotency window (message retention plus tombstones), after
 * which the purge job removes them.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class IdempotentStep {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private RetentionPeriods retention;

    /**
     * Runs {@code effect} in the caller's transaction unless the step ran for this message before.
     *
     * @return whether the effect ran now
     */
    public boolean once(String step, String messageKey, Runnable effect) {
        return runOnce(em, step, messageKey, window(), effect);
    }

    /** Whether the step ran for this message (committed), as the caller's transaction sees it. */
    public boolean ran(String step, String messageKey) {
        return recordOf(em, step, messageKey);
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int removeExpired(Instant cutoff) {
        return em.createQuery("delete from StepRecord r where r.expiresAt < :cutoff").setParameter("cutoff", cutoff)
                .executeUpdate();
    }

    private Duration window() {
        return retention.policy().period(false).plus(retention.policy().tombstones());
    }

    /** The step logic on a given entity manager, in whatever transaction it has. */
    static boolean runOnce(EntityManager em, String step, String messageKey, Duration window, Runnable effect) {
        if (recordOf(em, step, messageKey)) {
            return false;
        }
        Instant now = Instant.now();
        em.persist(new StepRecord(step, messageKey, now, now.plus(window)));
        effect.run();
        em.flush();
        return true;
    }

    private static boolean recordOf(EntityManager em, String step, String messageKey) {
        return !em.createNamedQuery(StepRecord.BY_STEP_AND_KEY, StepRecord.class)
                .setParameter("step", step)
                .setParameter("messageKey", messageKey)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }
}
