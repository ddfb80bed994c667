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
import java.util.logging.Logger;
import org.courier.delivery.DeliveryAttempts;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.AttemptOutcome;
import org.courier.message.Delivery;
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

    public QueueView view(String sender, String queueId) {
        return view(queue(sender, queueId));
    }

    /**
     * A page of the in-order queues, blocked ones first (see {@link QueueListing}); {@code state}
     * and {@code sender} may be null (any), {@code limit} and {@code offset} null (the defaults).
     */
    public QueueList list(String state, String sender, Integer limit, Integer offset) {
        QueueListing listing = QueueListing.of(state, sender, limit, offset);
        Query query = em.createNativeQuery(listing.sql());
        List<Object> parameters = listing.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        List<QueueView> views = ((List<?>) query.getResultList()).stream()
                .map(row -> em.find(InOrderQueue.class, (String) ((Object[]) row)[0]))
                .filter(Objects::nonNull)
                .map(this::view)
                .toList();
        boolean more = views.size() > listing.limit();
        return new QueueList(more ? views.subList(0, listing.limit()) : views, listing.offset(), listing.limit(), more);
    }

    /** Up to {@code limit} (1 to 1000) of the messages held behind the head of a lane, in queue order. */
    public List<HeldMessage> held(String sender, String queueId, String receiver, int limit) {
        if (limit < 1 || limit > QueueListing.MAX_LIMIT) {
            throw new ActionRefused(ActionRefused.Reason.INVALID, "limit must be between 1 and " + QueueListing.MAX_LIMIT);
        }
        return em.createNamedQuery(Delivery.NEXT_HELD_IN_LANE, Delivery.class)
                .setParameter("laneId", lane(sender, queueId, receiver).id())
                .setMaxResults(limit)
                .getResultStream()
                .map(d -> new HeldMessage(d.message().messageId(), d.sequenceNo(), d.part(), d.state().name()))
                .toList();
    }

    /** Gives a FAILED, ERROR or IN_DOUBT head a fresh set of attempts. */
    public QueueView resendHead(String sender, String queueId, String receiver) {
        Delivery head = head(lockedLane(sender, queueId, receiver));
        if (!head.state().isStopped()) {
            throw new ActionRefused(ActionRefused.Reason.CONFLICT, "the head of " + sender + "/" + queueId + " to " + receiver
                    + " is " + head.state() + ", not FAILED, ERROR or IN_DOUBT: the broker is still retrying it (cancel it instead)");
        }
        attempts.endOpen(head.id(), AttemptOutcome.OPERATOR_RESENT, "resent by an operator");
        head.release();
        dispatcher.dispatch(head);
        LOG.info(() -> "Operator resent " + describe(head));
        return view(sender, queueId);
    }

    /** Cancels the head, whatever its state, and releases the next held message. */
    public QueueView cancelHead(String sender, String queueId, String receiver) {
        QueueLane lane = lockedLane(sender, queueId, receiver);
        Delivery head = head(lane);
        attempts.endOpen(head.id(), AttemptOutcome.OPERATOR_CANCELLED, "cancelled by an operator");
        head.cancel();
        gate.promoteNext(lane).ifPresent(dispatcher::dispatch);
        LOG.info(() -> "Operator cancelled " + describe(head) + "; the queue goes on");
        return view(sender, queueId);
    }

    /** Changes the policy; switching to SKIP lets lanes blocked by a FAILED or ERROR head go on at once. */
    public QueueView changePolicy(String sender, String queueId, String policyName) {
        QueuePolicy policy = Arrays.stream(QueuePolicy.values()).filter(p -> p.name().equals(policyName)).findFirst()
                .orElseThrow(() -> new ActionRefused(ActionRefused.Reason.INVALID,
                        "policy '" + policyName + "' is not BLOCK or SKIP"));
        InOrderQueue queue = gate.locked(sender, queueId);
        gate.changePolicy(queue, policy);
        if (policy == QueuePolicy.SKIP) {
            gate.lanes(queue).forEach(this::skipFailedHead);
        }
        LOG.info(() -> "Operator set policy " + policy + " on queue " + sender + "/" + queueId);
        return view(sender, queueId);
    }

    private void skipFailedHead(QueueLane unlocked) {
        QueueLane lane = gate.lockLane(unlocked.id());
        lane.headDeliveryId().map(id -> em.find(Delivery.class, id))
                .filter(head -> head.state().isInFailureStore())
                .ifPresent(head -> gate.promoteNext(lane).ifPresent(dispatcher::dispatch));
    }

    private QueueView view(InOrderQueue queue) {
        return new QueueView(queue.sender(), queue.queueId(), queue.policy().name(), queue.lastSequence(),
                gate.lanes(queue).stream().map(this::lane).toList());
    }

    private QueueView.Lane lane(QueueLane lane) {
        QueueView.Head head = lane.headDeliveryId().map(id -> em.find(Delivery.class, id)).map(d ->
                new QueueView.Head(d.message().messageId(), d.sequenceNo(), d.state().name(), d.attempts(), d.lastError()))
                .orElse(null);
        LaneState state = head == null ? LaneState.IDLE : LaneState.of(head.state(), head.attempts());
        return new QueueView.Lane(lane.receiver(), state.name(), gate.held(lane), head);
    }

    private InOrderQueue queue(String sender, String queueId) {
        return gate.find(sender, queueId).orElseThrow(() -> new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                "no in-order queue " + queueId + " of sender " + sender));
    }

    private QueueLane lockedLane(String sender, String queueId, String receiver) {
        return gate.lockLane(lane(sender, queueId, receiver).id());
    }

    private QueueLane lane(String sender, String queueId, String receiver) {
        return gate.lane(queue(sender, queueId), receiver, LockModeType.NONE).orElseThrow(() ->
                new ActionRefused(ActionRefused.Reason.NOT_FOUND, "queue " + sender + "/" + queueId + " has no receiver " + receiver));
    }

    private Delivery head(QueueLane lane) {
        return lane.headDeliveryId().map(id -> em.find(Delivery.class, id)).orElseThrow(() ->
                new ActionRefused(ActionRefused.Reason.NOT_FOUND, "the lane to " + lane.receiver() + " has no head: nothing waits"));
    }

    private static String describe(Delivery head) {
        return head.message().sender() + "/" + head.message().messageId() + " (queue " + head.message().queueId()
                + " #" + head.sequenceNo() + ") to " + head.receiver();
    }
}
