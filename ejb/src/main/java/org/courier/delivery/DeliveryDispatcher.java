package org.courier.delivery;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import java.time.Duration;
import org.courier.message.Delivery;

/**
 * Hands a pending delivery to the delivery queue, inside the caller's transaction: the JMS
 * message is sent if and only if the receipt commits. Every dispatch is numbered on the
 * delivery's row, and the message carries that number.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class DeliveryDispatcher {

    @Inject
    @JMSConnectionFactory("java:/JmsXA")
    private JMSContext jms;

    @Resource(lookup = DeliveryQueue.JNDI_NAME)
    private Queue queue;

    public void dispatch(Delivery delivery) {
        dispatchAfter(delivery, Duration.ZERO);
    }

    /** Dispatches the delivery's next attempt, to be consumed no earlier than {@code delay} from now. */
    public void dispatchAfter(Delivery delivery, Duration delay) {
        send(delivery, delay, false);
    }

    /** Dispatches the delivery as a probe of its receiver, which is down: attempted although the receiver holds deliveries. */
    public void dispatchProbe(Delivery delivery) {
        send(delivery, Duration.ZERO, true);
    }

    private void send(Delivery delivery, Duration delay, boolean probe) {
        JMSProducer producer = jms.createProducer();
        if (probe) {
            producer.setProperty(DeliveryQueue.PROBE, true);
        }
        producer
                .setDeliveryDelay(delay.toMillis())
                .setProperty(DeliveryQueue.DELIVERY_ID, delivery.id())
                .setProperty(DeliveryQueue.DISPATCH, delivery.dispatched())
                .setProperty(DeliveryQueue.RECEIVER, delivery.receiver())
                .setProperty(DeliveryQueue.SENDER, delivery.message().sender())
                .setProperty(DeliveryQueue.MESSAGE_ID, delivery.message().messageId())
                .send(queue, delivery.id());
    }

    /**
     * Puts a consumed delivery message back on the queue unchanged but for its deferral count,
     * to be consumed no earlier than {@code delay} from now; the delivery's row is not touched.
     */
    public void putBack(QueuedDelivery deferred, Duration delay) {
        JMSProducer producer = jms.createProducer()
                .setDeliveryDelay(delay.toMillis())
                .setProperty(DeliveryQueue.DELIVERY_ID, deferred.deliveryId())
                .setProperty(DeliveryQueue.DEFERRALS, deferred.deferrals());
        deferred.dispatch().ifPresent(number -> producer.setProperty(DeliveryQueue.DISPATCH, number));
        if (deferred.probe()) {
            producer.setProperty(DeliveryQueue.PROBE, true);
        }
        setIfPresent(producer, DeliveryQueue.RECEIVER, deferred.receiver());
        setIfPresent(producer, DeliveryQueue.SENDER, deferred.sender());
        setIfPresent(producer, DeliveryQueue.MESSAGE_ID, deferred.messageId());
        producer.send(queue, deferred.deliveryId());
    }

    private static void setIfPresent(JMSProducer producer, String property, String value) {
        if (value != null) {
            producer.setProperty(property, value);
        }
    }
}
