package org.courier.call;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.Optional;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * The records of idempotent calls, each change in a transaction of its own and committed before
 * the caller goes on: a claim is visible to a concurrent repeat before the receiver is called,
 * and a response is stored before it is returned. Changes name the attempt they belong to, so a
 * call that was taken over (in doubt, called again) cannot overwrite its successor's outcome.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class CallLedger {

    private static final int MAX_ERROR = 500;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    /** Inserts the claim of a first call; {@link CallClaimTaken} if the (sender, message id) has a record. */
    public CallRecord claim(String sender, String messageId, String interfaceName, String receiver, String requestHash,
                            Instant expiresAt) {
        StoredCall call = new StoredCall(sender, messageId, interfaceName, receiver, requestHash, Instant.now(), expiresAt);
        try {
            em.persist(call);
            em.flush();
        } catch (PersistenceException e) {
            throw new CallClaimTaken(e);
        }
        return call.record();
    }

    public Optional<CallRecord> find(String sender, String messageId) {
        return em.createNamedQuery(StoredCall.BY_SENDER_AND_ID, StoredCall.class)
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .map(StoredCall::record);
    }

    /** The record of (sender, message id) for an operator: none when its sender and interface are outside the scope. */
    public Optional<CallRecord> find(OperatorScope scope, String sender, String messageId) {
        ScopeCondition visible = ScopeCondition.jpql(scope, "c.sender", "c.interfaceName");
        return visible.bind(em.createQuery("select c from StoredCall c where c.sender = :sender"
                        + " and c.messageId = :messageId" + visible.and(), StoredCall.class))
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .map(StoredCall::record);
    }

    /** Stores the receiver's response of this attempt; whether the attempt still owned the record. */
    public boolean complete(String id, int attempt, Instant respondedAt, int status, String contentType, String body) {
        return em.createQuery("update StoredCall c set c.state = :completed, c.completedAt = :now, c.responseStatus = :status,"
                        + " c.responseType = :type, c.responseBody = :body, c.lastError = null"
                        + " where c.id = :id and c.attempt = :attempt")
                .setParameter("completed", CallState.COMPLETED)
                .setParameter("now", respondedAt)
                .setParameter("status", status)
                .setParameter("type", contentType)
                .setParameter("body", body)
                .setParameter("id", id)
                .setParameter("attempt", attempt)
                .executeUpdate() == 1;
    }

    /** The receiver certainly did not process this attempt: the record goes, the next call is a first call. */
    public void release(String id, int attempt) {
        em.createQuery("delete from StoredCall c where c.id = :id and c.attempt = :attempt and c.state = :inProgress")
                .setParameter("id", id)
                .setParameter("attempt", attempt)
                .setParameter("inProgress", CallState.IN_PROGRESS)
                .executeUpdate();
    }

    /** This attempt has no outcome. */
    public void inDoubt(String id, int attempt, String error) {
        em.createQuery("update StoredCall c set c.state = :inDoubt, c.lastError = :error where c.id = :id and c.attempt = :attempt")
                .setParameter("inDoubt", CallState.IN_DOUBT)
                .setParameter("error", abbreviate(error))
                .setParameter("id", id)
                .setParameter("attempt", attempt)
                .executeUpdate();
    }

    /**
     * Takes over a call without an outcome to call the receiver again, as attempt
     * {@code attempt + 1}; {@code false} if another caller took it over (or it ended) first.
     */
    public boolean takeOver(String id, int attempt) {
        return em.createQuery("update StoredCall c set c.state = :inProgress, c.attempt = :next, c.startedAt = :now"
                        + " where c.id = :id and c.attempt = :attempt and c.state <> :completed")
                .setParameter("inProgress", CallState.IN_PROGRESS)
                .setParameter("next", attempt + 1)
                .setParameter("now", Instant.now())
                .setParameter("id", id)
                .setParameter("attempt", attempt)
                .setParameter("completed", CallState.COMPLETED)
                .executeUpdate() == 1;
    }

    public void countReplay(String id) {
        em.createQuery("update StoredCall c set c.replays = c.replays + 1 where c.id = :id").setParameter("id", id).executeUpdate();
    }

    /**
     * An operator's decision on a call in doubt: forget it, so the next call of the id calls the
     * receiver again. Only a record in doubt (or claimed for longer than {@code staleBefore}).
     */
    public boolean forget(String sender, String messageId, Instant staleBefore) {
        return em.createQuery("delete from StoredCall c where c.sender = :sender and c.messageId = :messageId"
                        + " and (c.state = :inDoubt or (c.state = :inProgress and c.startedAt < :stale))")
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .setParameter("inDoubt", CallState.IN_DOUBT)
                .setParameter("inProgress", CallState.IN_PROGRESS)
                .setParameter("stale", staleBefore)
                .executeUpdate() == 1;
    }

    /** Deletes the records expired before {@code cutoff}; how many. */
    public int removeExpired(Instant cutoff) {
        return em.createQuery("delete from StoredCall c where c.expiresAt < :cutoff").setParameter("cutoff", cutoff)
                .executeUpdate();
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }
}
