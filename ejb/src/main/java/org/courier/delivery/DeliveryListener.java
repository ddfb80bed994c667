package org.courier.delivery;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDrivenContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.OptionalInt;

/**
 * Consumes the delivery queue (activation config and parallelism in {@code ejb-jar.xml}).
 *
 * <p>Failure policy: when the delivery did not succeed the transaction is marked for
 * rollback, so the broker keeps the message and redelivers it after its redelivery delay;
 * no exception escapes, which keeps an expected outcome such as a receiver that is down to
 * the one log line {@link DeliveryAgent} writes. Any unexpected exception rolls back too.
 */
public class DeliveryListener implements MessageListener {

    @Resource
    private MessageDrivenContext context;

    @EJB
    private DeliveryAgent agent;

    @Override
    public void onMessage(Message message) {
        DeliveryOutcome outcome = agent.deliver(deliveryId(message), dispatch(message));
        if (!outcome.settled()) {
            context.setRollbackOnly();
        }
    }

    /** The number of the dispatch that sent it; empty for a message sent before dispatches were numbered. */
    private static OptionalInt dispatch(Message message) {
        try {
            return message.propertyExists(DeliveryQueue.DISPATCH)
                    ? OptionalInt.of(message.getIntProperty(DeliveryQueue.DISPATCH))
                    : OptionalInt.empty();
        } catch (JMSException e) {
            throw new IllegalStateException("Delivery message with an unreadable dispatch number", e);
        }
    }

    private static String deliveryId(Message message) {
        try {
            return message.getStringProperty(DeliveryQueue.DELIVERY_ID);
        } catch (JMSException e) {
            throw new IllegalStateException("Delivery message without a readable delivery id", e);
        }
    }
}
