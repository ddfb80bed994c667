package org.courier.delivery;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDrivenContext;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import java.time.Duration;
import java.util.Optional;
import org.courier.monitoring.CourierCounters;
import org.courier.receivers.ReceiverHealth;

/**
 * Consumes the delivery queue (activation config and parallelism in {@code ejb-jar.xml}). For each
 * delivery message: takes one of the receiver's slots ({@link ReceiverSlots}) and has
 * {@link DeliveryAgent} make the attempt, giving the slot back when the agent returns. A message
 * whose receiver has no free slot is not attempted: it is put back for its turn ({@link Deferral})
 * in the consuming transaction, and the delivery's row is not touched. A message without a
 * receiver name (sent before it was carried) is attempted without a slot. While its receiver is
 * down or in maintenance ({@link ReceiverHealth}) a delivery is not attempted but put to wait for
 * it, unless it is the probe sent to try the receiver.
 *
 * <p>When turned on ({@link DeliveryBatch}; off by default), one transaction settles several
 * deliveries: after the message the broker handed it, the session takes the further delivery
 * messages waiting in the queue through a second, XA connection factory
 * ({@value DeliveryQueue#PULL_FACTORY}: a consumer window of 0, so that its consumer takes one
 * message per receive and holds none back from the other sessions), in the same transaction, and
 * one commit settles them all. It takes one only into a free place of {@link AttemptsInFlight}:
 * deliveries attempted and not committed stay within its bound, which is what a kill -9 can leave
 * to settle again. It looks for further messages only when its first one waited
 * ({@link DeliveryBatch#backlogShownBy}): with no backlog the queue is empty, and the second
 * connection factory's session would only add a branch to the transaction.
 *
 * <p>Failure policy: when the first delivery did not settle (its row is locked, or not visible
 * yet) the transaction is marked for rollback, so the broker keeps the message and redelivers it
 * after its redelivery delay; no exception escapes, which keeps an expected outcome such as a
 * receiver that is down to the one log line {@link DeliveryAgent} writes. A further message that
 * does not settle is put back with the same delay instead, in the transaction, so that the
 * deliveries settled before it commit. Any unexpected exception rolls back the whole transaction:
 * the broker redelivers every message of it, and each is settled again as after a crash (a
 * delivery found delivered is not sent again; a non-idempotent receiver's open attempt is in
 * doubt and settled by its policy).
 */
public class DeliveryListener implements MessageListener {

    /** The wait of a further message that did not settle: the broker's first redelivery delay for a rolled-back one. */
    static final Duration NOT_SETTLED_DELAY = Duration.ofSeconds(1);

    private static final DeliveryBatch BATCH = DeliveryBatch.configured();

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

    @Inject
    private AttemptsInFlight inFlight;

    @Inject
    @JMSConnectionFactory(DeliveryQueue.PULL_FACTORY)
    private JMSContext pull;

    @Resource(lookup = DeliveryQueue.JNDI_NAME)
    private Queue queue;

    @Override
    public void onMessage(Message message) {
        AttemptsInFlight.Held places = inFlight.hold();
        places.first();
        long start = System.nanoTime();
        if (!settle(QueuedDelivery.of(message))) {
            context.setRollbackOnly();
            return;
        }
        if (!BATCH.takesAnother(1, System.nanoTime() - start) || !BATCH.backlogShownBy(waited(message))) {
            return; // off (the default), out of time, or no backlog: no second session in the transaction
        }
        JMSConsumer further = null;
        try {
            for (int settled = 1; BATCH.takesAnother(settled, System.nanoTime() - start) && places.another(); settled++) {
                further = further != null ? further : pull.createConsumer(queue);
                Message next = further.receiveNoWait();
                if (next == null) {
                    places.unused();
                    return;
                }
                QueuedDelivery queued = QueuedDelivery.of(next);
                if (queued.receiver() != null && !BATCH.quickEnough(slots.pace(queued.receiver()))) {
                    dispatcher.putBack(queued, Duration.ZERO); // first in a transaction of its own
                    places.unused();
                    return;
                }
                if (!settle(queued)) {
                    dispatcher.putBack(queued, NOT_SETTLED_DELAY);
                }
                counters.batched();
            }
        } finally {
            if (further != null) {
                further.close();
            }
        }
    }

    /** How long the message waited in the queue since it was due (sent, or its delivery delay over). */
    private static Duration waited(Message message) {
        try {
            long due = Math.max(message.getJMSTimestamp(), message.getJMSDeliveryTime());
            return due > 0 ? Duration.ofMillis(Math.max(System.currentTimeMillis() - due, 0)) : Duration.ZERO;
        } catch (JMSException e) {
            return Duration.ZERO;
        }
    }

    /** Attempts, defers or puts to wait the delivery; false if its message must be tried again later. */
    private boolean settle(QueuedDelivery queued) {
        if (queued.receiver() == null) {
            return agent.deliver(queued.deliveryId(), queued.dispatch()).settled();
        }
        if (!queued.probe() && health.holds(queued.receiver())) {
            return agent.waitForReceiver(queued.deliveryId(), queued.dispatch(), health.waitingReason(queued.receiver()))
                    .settled();
        }
        Optional<ReceiverSlots.Slot> slot = slots.take(queued.receiver(), queued.deferrals());
        if (slot.isEmpty()) {
            QueuedDelivery deferred = queued.deferred();
            dispatcher.putBack(deferred, slots.deferral(queued.receiver()));
            counters.deferred(queued.receiver());
            return true;
        }
        try (ReceiverSlots.Slot taken = slot.get()) {
            DeliveryOutcome outcome = agent.deliver(queued.deliveryId(), queued.dispatch());
            if (!outcome.askedReceiver()) {
                taken.sentNothing();
            }
            return outcome.settled();
        }
    }
}
