package org.courier.resend;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.courier.access.OperatorScope;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.AttemptOutcome;
import org.courier.message.Delivery;

/**
 * The failure store: FAILED and ERROR deliveries, and the one step of the resend job that
 * changes anything — taking a due entry out of the store and dispatching it, under the
 * delivery's row lock and only if it is still due. Operators' views and actions on it take
 * their scope: lists, counts and "resend all" cover only deliveries of messages within it.
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

    /**
     * FAILED and ERROR deliveries within the operator's scope, oldest first, at most {@value #MAX_LISTED};
     * of one receiver when given.
     */
    public List<FailureEntry> entries(OperatorScope scope, String receiver) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        return selection.bind(em.createQuery("select d from Delivery d" + selection.where(FailureSelection.IN_STORE)
                        + " order by d.lastAttemptAt, d.id", Delivery.class))
                .setMaxResults(MAX_LISTED).getResultStream().map(FailureEntry::of).toList();
    }

    /**
     * In-doubt deliveries (held: a non-idempotent receiver may have processed them) within the
     * operator's scope, oldest first, at most {@value #MAX_LISTED}; of one receiver when given.
     */
    public List<FailureEntry> inDoubt(OperatorScope scope, String receiver) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        return selection.bind(em.createQuery("select d from Delivery d" + selection.where(FailureSelection.IN_DOUBT)
                        + " order by d.lastAttemptAt, d.id", Delivery.class))
                .setMaxResults(MAX_LISTED).getResultStream().map(FailureEntry::of).toList();
    }

    /** How many deliveries within the scope are held IN_DOUBT; of one receiver when given. */
    public long countInDoubt(OperatorScope scope, String receiver) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        return selection.bind(em.createQuery("select count(d) from Delivery d" + selection.where(FailureSelection.IN_DOUBT),
                Long.class)).getSingleResult();
    }

    /**
     * How many attempts of deliveries within the scope were sent again while an earlier one was in
     * doubt (policy RETRY): possible duplicates; of one receiver when given.
     */
    public long possibleDuplicates(OperatorScope scope, String receiver) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        return selection.bind(em.createQuery("select count(a) from DeliveryAttempt a, Delivery d"
                        + selection.where("a.deliveryId = d.id and a.outcome = :outcome"), Long.class))
                .setParameter("outcome", AttemptOutcome.RETRIED_IN_DOUBT)
                .getSingleResult();
    }

    /**
     * An operator's "resend all of this receiver now": every FAILED and ERROR delivery within its
     * scope (at most {@value #MAX_LISTED} at a time), fresh attempts; how many went out.
     */
    public int resendAll(OperatorScope scope, String receiver) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        List<String> ids = selection.bind(em.createQuery("select d.id from Delivery d"
                        + selection.where(FailureSelection.IN_STORE) + " order by d.lastAttemptAt, d.id", String.class))
                .setMaxResults(MAX_LISTED)
                .getResultList();
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
        LOG.info(() -> "Operator resent " + count + " deliveries of the failure store to " + receiver
                + (scope.unrestricted() ? "" : " (within " + scope + ")"));
        return count;
    }
}
