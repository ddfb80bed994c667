package org.courier.delivery;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDrivenContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

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
        DeliveryOutcome outcome = agent.deliver(deliveryId(message));
        if (!outcome.settled()) {
            context.setRollbackOnly();
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
