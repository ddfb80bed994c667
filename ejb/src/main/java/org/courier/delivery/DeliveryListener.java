package org.courier.delivery;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDrivenContext;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.Optional;
import org.courier.monitoring.CourierCounters;
import org.courier.receivers.ReceiverHealth;

/**
 * Consumes the delivery queue (activation config and parallelism in {@code ejb-jar.xml}): takes
 * one of the receiver's slots ({@link ReceiverSlots}) and has {@link DeliveryAgent} make the
 * attempt, giving the slot back when the agent returns. A message whose receiver has no free slot
 * is not attempted: it is put back for its turn ({@link Deferral}) in the consuming transaction,
 * and the delivery's row is not touched. A message without a receiver name (sent before it was
 * carried) is attempted without a slot. While its receiver is down or in maintenance
 * ({@link ReceiverHealth}) a delivery is not attempted but put to wait for it, unless it is the
 * probe sent to try the receiver.
 *
 * <p>Failure policy: when the delivery did not succeed the transaction is marked for
 * rollback, so the broker keeps the message and redelivers it after its redelivery delay;
 * no exception escapes, which keeps an expected outcome such as a receiver that is down to
 * the one log line {@link DeliveryAgent} writes. Any unexpected exception rolls back too,
 * a put-back's send with it.
 */
public class DeliveryListener implements MessageListener {

    @Resource
    private MessageDrivenContext context;

    @EJB
    private DeliveryAgent agent;

    @EJB
    private DeliveryDispatcher dispatcher;

    @Inject
    private ReceiverSlots slots;

    @Inject
    private CourierCounters counters;

    @Inject
    private ReceiverHealth health;

    @Override
    public void onMessage(Message message) {
        QueuedDelivery queued = QueuedDelivery.of(message);
        if (queued.receiver() == null) {
            deliver(queued);
            return;
        }
        if (!queued.probe() && health.holds(queued.receiver())) {
            settle(agent.waitForReceiver(queued.deliveryId(), queued.dispatch(), health.waitingReason(queued.receiver())));
            return;
        }
        Optional<ReceiverSlots.Slot> slot = slots.take(queued.receiver(), queued.deferrals());
        if (slot.isEmpty()) {
            QueuedDelivery deferred = queued.deferred();
            dispatcher.putBack(deferred, slots.deferral(queued.receiver()));
            counters.deferred(queued.receiver());
            return;
        }
        try (ReceiverSlots.Slot taken = slot.get()) {
            DeliveryOutcome outcome = agent.deliver(queued.deliveryId(), queued.dispatch());
            if (!outcome.askedReceiver()) {
                taken.sentNothing();
            }
            settle(outcome);
        }
    }

    private void deliver(QueuedDelivery queued) {
        settle(agent.deliver(queued.deliveryId(), queued.dispatch()));
    }

    private void settle(DeliveryOutcome outcome) {
        if (!outcome.settled()) {
            context.setRollbackOnly();
        }
    }
}
