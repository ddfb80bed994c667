package org.courier.operations;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.logging.Logger;
import org.courier.access.OperatorScope;
import org.courier.delivery.DeliveryAttempts;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.AttemptOutcome;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;
import org.courier.message.ReceivedMessage;
import org.courier.message.ScopedMessages;
import org.courier.sequencing.QueueLane;
import org.courier.sequencing.SequenceGate;

/**
 * Operator actions on one delivery that ran out of attempts ({@code FAILED} or {@code ERROR}): resend it with
 * a fresh count of attempts, or cancel it. The head of an in-order lane is handled through
 * the lane (so its successors follow); a delivery an in-order queue skipped (policy SKIP)
 * is no longer in its lane's order and goes out on its own, as Exactly Once. A delivery of a
 * message outside the operator's scope is not found, exactly like one that does not exist.
 */
@Stateless
public class DeliveryOperations {

    private static final Logger LOG = Logger.getLogger(DeliveryOperations.class.getName());

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private SequenceGate gate;

    @EJB
    private DeliveryDispatcher dispatcher;

    @EJB
    private DeliveryAttempts attempts;

    public DeliveryView view(OperatorScope scope, String sender, String messageId, String receiver) {
        return view(find(scope, sender, messageId, receiver));
    }

    public DeliveryView resend(OperatorScope scope, String sender, String messageId, String receiver) {
        Delivery delivery = stopped(scope, sender, messageId, receiver);
        attempts.endOpen(delivery.id(), AttemptOutcome.OPERATOR_RESENT, "resent by an operator");
        delivery.release();
        dispatcher.dispatch(delivery);
        LOG.info(() -> "Operator resent " + sender + "/" + messageId + " to " + receiver);
        return view(delivery);
    }

    public DeliveryView cancel(OperatorScope scope, String sender, String messageId, String receiver) {
        Delivery delivery = stopped(scope, sender, messageId, receiver);
        attempts.endOpen(delivery.id(), AttemptOutcome.OPERATOR_CANCELLED, "cancelled by an operator");
        delivery.cancel();
        if (delivery.isInOrder()) {
            gate.advance(delivery).ifPresent(dispatcher::dispatch);
        }
        LOG.info(() -> "Operator cancelled " + sender + "/" + messageId + " to " + receiver);
        return view(delivery);
    }

    /**
     * An operator declares the delivery delivered: the receiver has the message (typically an
     * in-doubt one, checked with the receiver's owners). Nothing is sent; an in-order queue goes on.
     */
    public DeliveryView confirmDelivered(OperatorScope scope, String sender, String messageId, String receiver) {
        Delivery delivery = stopped(scope, sender, messageId, receiver);
        attempts.endOpen(delivery.id(), AttemptOutcome.OPERATOR_DELIVERED, "declared delivered by an operator");
        delivery.confirmDelivered(Instant.now());
        if (delivery.isInOrder()) {
            gate.advance(delivery).ifPresent(dispatcher::dispatch);
        }
        LOG.info(() -> "Operator declared " + sender + "/" + messageId + " delivered to " + receiver);
        return view(delivery);
    }

    /**
     * One delivery of an operator's bulk action, by id: resent, cancelled or declared delivered as
     * {@link #resend}, {@link #cancel} and {@link #confirmDelivered} do, if it is still where the
     * action found it (in the failure store, FAILED or ERROR; or held IN_DOUBT when {@code inDoubt});
     * left alone otherwise (the resend job, another operator or an earlier run of the same action
     * took it meanwhile: a bulk action is safe to repeat). The lane of an in-order delivery is
     * locked first, as for a single action. Logged by the caller, once per chunk.
     *
     * @return whether it was acted on
     */
    public boolean actInBulk(String deliveryId, BulkAction action, boolean inDoubt) {
        Delivery unlocked = em.find(Delivery.class, deliveryId);
        if (unlocked == null || !heldAs(unlocked, inDoubt)) {
            return false;
        }
        if (unlocked.isInOrder()) {
            gate.lockLane(unlocked.laneId());
            em.refresh(unlocked);
        }
        Delivery delivery = em.find(Delivery.class, deliveryId, LockModeType.PESSIMISTIC_WRITE);
        if (!heldAs(delivery, inDoubt)) {
            return false;
        }
        switch (action) {
            case RESEND -> {
                attempts.endOpen(delivery.id(), AttemptOutcome.OPERATOR_RESENT, "resent by an operator (bulk)");
                delivery.release();
                dispatcher.dispatch(delivery);
            }
            case CANCEL -> {
                attempts.endOpen(delivery.id(), AttemptOutcome.OPERATOR_CANCELLED, "cancelled by an operator (bulk)");
                delivery.cancel();
                if (delivery.isInOrder()) {
                    gate.advance(delivery).ifPresent(dispatcher::dispatch);
                }
            }
            case DECLARE_DELIVERED -> {
                attempts.endOpen(delivery.id(), AttemptOutcome.OPERATOR_DELIVERED, "declared delivered by an operator (bulk)");
                delivery.confirmDelivered(Instant.now());
                if (delivery.isInOrder()) {
                    gate.advance(delivery).ifPresent(dispatcher::dispatch);
                }
            }
        }
        return true;
    }

    private static boolean heldAs(Delivery delivery, boolean inDoubt) {
        return inDoubt ? delivery.state() == DeliveryState.IN_DOUBT : delivery.state().isInFailureStore();
    }

    /** The delivery, locked in the order every lane action locks: its lane first, then the row. */
    private Delivery stopped(OperatorScope scope, String sender, String messageId, String receiver) {
        Delivery unlocked = find(scope, sender, messageId, receiver);
        if (!unlocked.state().isStopped()) {
            // refused before waiting for the row: a PENDING one may be locked by an attempt under way
            throw refused(unlocked);
        }
        if (unlocked.isInOrder()) {
            QueueLane lane = gate.lockLane(unlocked.laneId());
            em.refresh(unlocked);
            if (lane.headDeliveryId().map(unlocked.id()::equals).orElse(false) && !unlocked.state().isStopped()) {
                throw refused(unlocked);
            }
        }
        Delivery delivery = em.find(Delivery.class, unlocked.id(), LockModeType.PESSIMISTIC_WRITE);
        if (!delivery.state().isStopped()) {
            throw refused(delivery);
        }
        return delivery;
    }

    private Delivery find(OperatorScope scope, String sender, String messageId, String receiver) {
        ReceivedMessage message = ScopedMessages.find(em, scope, sender, messageId)
                .orElseThrow(() -> new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                        "no message " + messageId + " of sender " + sender));
        // "erp" is the whole message's delivery to erp; "erp#billing" or "erp#item-7" one part of it
        int hash = receiver.indexOf('#');
        String name = hash < 0 ? receiver : receiver.substring(0, hash);
        String part = hash < 0 ? "" : receiver.substring(hash + 1);
        return message.deliveries().stream().filter(d -> d.receiver().equals(name) && d.part().equals(part)).findFirst()
                .orElseThrow(() -> new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                        "message " + sender + "/" + messageId + " has no delivery to " + receiver
                                + (hash < 0 && message.deliveries().stream().anyMatch(d -> d.receiver().equals(name))
                                ? " as a whole: it goes in parts; name one as " + name + "#<part>" : "")));
    }

    private static ActionRefused refused(Delivery delivery) {
        return new ActionRefused(ActionRefused.Reason.CONFLICT, "the delivery of " + delivery.message().sender() + "/"
                + delivery.message().messageId() + " to " + delivery.receiver() + " is " + delivery.state()
                + ", not FAILED, ERROR or IN_DOUBT: only a delivery that no attempt is under way for can be resent,"
                + " cancelled or declared delivered");
    }

    private static DeliveryView view(Delivery d) {
        return new DeliveryView(d.message().sender(), d.message().messageId(), d.message().interfaceName(), d.receiver(),
                d.state().name(), d.attempts(), d.lastError(), d.message().queueId(), d.sequenceNo());
    }
}
