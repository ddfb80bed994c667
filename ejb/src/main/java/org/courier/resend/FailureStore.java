package org.courier.resend;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.AttemptOutcome;
import org.courier.message.Delivery;

/**
 * The failure store: FAILED and ERROR deliveries, and the one step of the resend job that
 * changes anything — taking a due entry out of the store and dispatching it, under the
 * delivery's row lock and only if it is still due.
 */
@Stateless
public class FailureStore {

    private static final Logger LOG = Logger.getLogger(FailureStore.class.getName());
    static final int MAX_LISTED = 1000;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private DeliveryDispatcher dispatcher;

    /** Ids of the FAILED deliveries due at {@code now}, the longest due first. */
    public List<String> dueIds(Instant now, int limit) {
        return em.createNamedQuery(Delivery.DUE_FOR_RESEND, String.class)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * One resend round for the delivery, if it is still FAILED and due (a concurrent or
     * earlier run may have taken it already): back to PENDING and onto the delivery queue.
     *
     * @return whether it was resent
     */
    public boolean resendIfDue(String deliveryId, Instant now) {
        Delivery delivery = em.find(Delivery.class, deliveryId, LockModeType.PESSIMISTIC_WRITE);
        if (delivery == null || !delivery.isDue(now)) {
            return false;
        }
        delivery.resendRound();
        dispatcher.dispatch(delivery);
        LOG.fine(() -> "Resending " + delivery.message().sender() + "/" + delivery.message().messageId() + " to "
                + delivery.receiver() + " (resend " + delivery.resends() + ")");
        return true;
    }

    /** FAILED and ERROR deliveries, oldest first, at most {@value #MAX_LISTED}; of one receiver when given. */
    public List<FailureEntry> entries(String receiver) {
        var query = receiver == null
                ? em.createNamedQuery(Delivery.IN_FAILURE_STORE, Delivery.class)
                : em.createNamedQuery(Delivery.IN_FAILURE_STORE_OF_RECEIVER, Delivery.class).setParameter("receiver", receiver);
        return query.setMaxResults(MAX_LISTED).getResultStream().map(FailureEntry::of).toList();
    }

    /**
     * In-doubt deliveries (held: a non-idempotent receiver may have processed them), oldest
     * first, at most {@value #MAX_LISTED}; of one receiver when given.
     */
    public List<FailureEntry> inDoubt(String receiver) {
        return ofReceiver("select d from Delivery d where d.state = org.courier.message.DeliveryState.IN_DOUBT", receiver,
                " order by d.lastAttemptAt, d.id", Delivery.class)
                .setMaxResults(MAX_LISTED).getResultStream().map(FailureEntry::of).toList();
    }

    /** How many deliveries are held IN_DOUBT; of one receiver when given. */
    public long countInDoubt(String receiver) {
        return ofReceiver("select count(d) from Delivery d where d.state = org.courier.message.DeliveryState.IN_DOUBT",
                receiver, "", Long.class).getSingleResult();
    }

    /** How many attempts were sent again while an earlier one was in doubt (policy RETRY): possible duplicates. */
    public long possibleDuplicates(String receiver) {
        return ofReceiver("select count(a) from DeliveryAttempt a, Delivery d where a.deliveryId = d.id"
                + " and a.outcome = :outcome", receiver, "", Long.class)
                .setParameter("outcome", AttemptOutcome.RETRIED_IN_DOUBT)
                .getSingleResult();
    }

    /** {@code where} (over a Delivery {@code d}), narrowed to one receiver when one is given, then {@code tail}. */
    private <T> TypedQuery<T> ofReceiver(String where, String receiver, String tail, Class<T> type) {
        TypedQuery<T> query = em.createQuery(where + (receiver == null ? "" : " and d.receiver = :receiver") + tail, type);
        return receiver == null ? query : query.setParameter("receiver", receiver);
    }

    /** An operator's "resend all of this receiver now": every FAILED and ERROR delivery, fresh attempts. */
    public int resendAll(String receiver) {
        List<String> ids = em.createNamedQuery(Delivery.IN_FAILURE_STORE_OF_RECEIVER, Delivery.class)
                .setParameter("receiver", receiver)
                .setMaxResults(MAX_LISTED)
                .getResultStream()
                .map(Delivery::id)
                .toList();
        int resent = 0;
        for (String id : ids) {
            Delivery delivery = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (delivery.state().isInFailureStore()) {
                delivery.release();
                dispatcher.dispatch(delivery);
                resent++;
            }
        }
        int count = resent;
        LOG.info(() -> "Operator resent " + count + " deliveries of the failure store to " + receiver);
        return count;
    }
}
