package org.courier.operations;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;
import org.courier.access.ScopeRefused;
import org.courier.delivery.DeliveryAttempts;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.AttemptOutcome;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;
import org.courier.sequencing.InOrderQueue;
import org.courier.sequencing.QueueLane;
import org.courier.sequencing.QueuePolicy;
import org.courier.sequencing.SequenceGate;

/**
 * Operator actions on in-order queues. Resend and cancel work on a lane's head under the
 * lane's lock: a cancelled head is never sent (if its delivery is in flight at that moment,
 * the delivery's commit loses and its broker redelivery finds it cancelled), and its
 * successors are released in order. Every action is logged in one line. Looking needs no
 * lock: the list of queues, a queue's lanes and the messages held in a lane are read as
 * they stand.
 *
 * <p>Within the operator's scope: a queue it may not see ({@link QueueListing}) is unknown to it;
 * in a queue it sees, a lane's head, its held messages and their count are those of messages it
 * may see (a head of another interface is no head to it: not shown, not acted on), while the
 * lane's state is the queue's. A policy holds for all of a queue's messages: changing it needs
 * the whole sender (refused otherwise).
 */
@Stateless
public class QueueOperations {

    private static final Logger LOG = Logger.getLogger(QueueOperations.class.getName());

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private SequenceGate gate;

    @EJB
    private DeliveryDispatcher dispatcher;

    @EJB
    private DeliveryAttempts attempts;

    public QueueView view(OperatorScope scope, String sender, String queueId) {
        return view(scope, queue(scope, sender, queueId));
    }

    /**
     * A page of the in-order queues within {@code scope}, blocked ones first (see {@link QueueListing});
     * {@code state} and {@code sender} may be null (any), {@code limit} and {@code offset} null (the defaults).
     */
    public QueueList list(OperatorScope scope, String state, String sender, Integer limit, Integer offset) {
        QueueListing listing = QueueListing.of(scope, state, sender, limit, offset);
        List<QueueView> views = keys(listing).stream()
                .map(key -> em.find(InOrderQueue.class, key))
                .filter(Objects::nonNull)
                .map(queue -> view(scope, queue))
                .toList();
        boolean more = views.size() > listing.limit();
        return new QueueList(more ? views.subList(0, listing.limit()) : views, listing.offset(), listing.limit(), more);
    }

    /** Up to {@code limit} (1 to 1000) of the messages within the scope held behind the head of a lane, in queue order. */
    public List<HeldMessage> held(OperatorScope scope, String sender, String queueId, String receiver, int limit) {
        if (limit < 1 || limit > QueueListing.MAX_LIMIT) {
            throw new ActionRefused(ActionRefused.Reason.INVALID, "limit must be between 1 and " + QueueListing.MAX_LIMIT);
        }
        ScopeCondition visible = visible(scope);
        return visible.bind(em.createQuery("select d from Delivery d where d.laneId = :laneId and d.state = :held"
                        + visible.and() + " order by d.sequenceNo, d.partNo", Delivery.class))
                .setParameter("laneId", lane(scope, sender, queueId, receiver).id())
                .setParameter("held", DeliveryState.HELD)
                .setMaxResults(limit)
                .getResultStream()
                .map(d -> new HeldMessage(d.message().messageId(), d.sequenceNo(), d.part(), d.state().name()))
                .toList();
    }

    /** Gives a FAILED, ERROR or IN_DOUBT head a fresh set of attempts. */
    public HeadAction resendHead(OperatorScope scope, String sender, String queueId, String receiver) {
        Delivery head = head(scope, lockedLane(scope, sender, queueId, receiver));
        if (!head.state().isStopped()) {
            throw new ActionRefused(ActionRefused.Reason.CONFLICT, "the head of " + sender + "/" + queueId + " to " + receiver
                    + " is " + head.state() + ", not FAILED, ERROR or IN_DOUBT: the broker is still retrying it (cancel it instead)");
        }
        attempts.endOpen(head.id(), AttemptOutcome.OPERATOR_RESENT, "resent by an operator");
        head.release();
        dispatcher.dispatch(head);
        LOG.info(() -> "Operator resent " + describe(head));
        return new HeadAction(head.message().interfaceName(), view(scope, sender, queueId));
    }

    /** Cancels the head, whatever its state, and releases the next held message. */
    public HeadAction cancelHead(OperatorScope scope, String sender, String queueId, String receiver) {
        QueueLane lane = lockedLane(scope, sender, queueId, receiver);
        Delivery head = head(scope, lane);
        attempts.endOpen(head.id(), AttemptOutcome.OPERATOR_CANCELLED, "cancelled by an operator");
        head.cancel();
        gate.promoteNext(lane).ifPresent(dispatcher::dispatch);
        LOG.info(() -> "Operator cancelled " + describe(head) + "; the queue goes on");
        return new HeadAction(head.message().interfaceName(), view(scope, sender, queueId));
    }

    /**
     * Changes the policy; switching to SKIP lets lanes blocked by a FAILED or ERROR head go on at once.
     * Refused ({@link ScopeRefused}) unless the scope holds the whole sender: the policy rules all its messages.
     */
    public QueueView changePolicy(OperatorScope scope, String sender, String queueId, String policyName) {
        if (!scope.permitsSender(sender) || scope.interfaces() != null) {
            throw new ScopeRefused("the policy of queue " + sender + "/" + queueId + " rules all its messages: changing it"
                    + " needs an operator bound to sender " + sender + " and not limited to interfaces; this one is bound to "
                    + scope);
        }
        QueuePolicy policy = Arrays.stream(QueuePolicy.values()).filter(p -> p.name().equals(policyName)).findFirst()
                .orElseThrow(() -> new ActionRefused(ActionRefused.Reason.INVALID,
                        "policy '" + policyName + "' is not BLOCK or SKIP"));
        queue(scope, sender, queueId);
        InOrderQueue queue = gate.locked(sender, queueId);
        gate.changePolicy(queue, policy);
        if (policy == QueuePolicy.SKIP) {
            gate.lanes(queue).forEach(this::skipFailedHead);
        }
        LOG.info(() -> "Operator set policy " + policy + " on queue " + sender + "/" + queueId);
        return view(scope, sender, queueId);
    }

    /** What a head action acted on (the head message's interface) and the queue after it. */
    public record HeadAction(String interfaceName, QueueView queue) {
    }

    private void skipFailedHead(QueueLane unlocked) {
        QueueLane lane = gate.lockLane(unlocked.id());
        lane.headDeliveryId().map(id -> em.find(Delivery.class, id))
                .filter(head -> head.state().isInFailureStore())
                .ifPresent(head -> gate.promoteNext(lane).ifPresent(dispatcher::dispatch));
    }

    private QueueView view(OperatorScope scope, InOrderQueue queue) {
        return new QueueView(queue.sender(), queue.queueId(), queue.policy().name(), queue.lastSequence(),
                gate.lanes(queue).stream().map(lane -> lane(scope, lane)).toList());
    }

    private QueueView.Lane lane(OperatorScope scope, QueueLane lane) {
        Optional<Delivery> head = lane.headDeliveryId().map(id -> em.find(Delivery.class, id));
        LaneState state = head.map(d -> LaneState.of(d.state().name(), d.attempts())).orElse(LaneState.IDLE);
        QueueView.Head shown = head.filter(d -> permits(scope, d)).map(d ->
                new QueueView.Head(d.message().messageId(), d.sequenceNo(), d.state().name(), d.attempts(), d.lastError()))
                .orElse(null);
        return new QueueView.Lane(lane.receiver(), state.name(), held(scope, lane), shown);
    }

    private long held(OperatorScope scope, QueueLane lane) {
        ScopeCondition visible = visible(scope);
        return visible.bind(em.createQuery("select count(d) from Delivery d where d.laneId = :laneId and d.state = :held"
                        + visible.and(), Long.class))
                .setParameter("laneId", lane.id())
                .setParameter("held", DeliveryState.HELD)
                .getSingleResult();
    }

    private InOrderQueue queue(OperatorScope scope, String sender, String queueId) {
        return keys(QueueListing.one(scope, sender, queueId)).stream().findFirst()
                .map(key -> em.find(InOrderQueue.class, key))
                .orElseThrow(() -> new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                        "no in-order queue " + queueId + " of sender " + sender));
    }

    private List<String> keys(QueueListing listing) {
        Query query = em.createNativeQuery(listing.sql());
        List<Object> parameters = listing.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        return ((List<?>) query.getResultList()).stream().map(row -> (String) ((Object[]) row)[0]).toList();
    }

    private QueueLane lockedLane(OperatorScope scope, String sender, String queueId, String receiver) {
        return gate.lockLane(lane(scope, sender, queueId, receiver).id());
    }

    private QueueLane lane(OperatorScope scope, String sender, String queueId, String receiver) {
        return gate.lane(queue(scope, sender, queueId), receiver, LockModeType.NONE).orElseThrow(() ->
                new ActionRefused(ActionRefused.Reason.NOT_FOUND, "queue " + sender + "/" + queueId + " has no receiver " + receiver));
    }

    /** The lane's head, if the operator may see its message; otherwise, as without a head, NOT_FOUND. */
    private Delivery head(OperatorScope scope, QueueLane lane) {
        return lane.headDeliveryId().map(id -> em.find(Delivery.class, id)).filter(d -> permits(scope, d)).orElseThrow(() ->
                new ActionRefused(ActionRefused.Reason.NOT_FOUND, "the lane to " + lane.receiver() + " has no head: nothing waits"));
    }

    private static boolean permits(OperatorScope scope, Delivery delivery) {
        return scope.permits(delivery.message().sender(), delivery.message().interfaceName());
    }

    private static ScopeCondition visible(OperatorScope scope) {
        return ScopeCondition.jpql(scope, "d.message.sender", "d.message.interfaceName");
    }

    private static String describe(Delivery head) {
        return head.message().sender() + "/" + head.message().messageId() + " (queue " + head.message().queueId()
                + " #" + head.sequenceNo() + ") to " + head.receiver();
    }
}
