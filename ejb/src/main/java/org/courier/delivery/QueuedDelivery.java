package org.courier.delivery;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.OptionalInt;

/**
 * What a message of the delivery queue says: which delivery, sent by which dispatch, to which
 * receiver, and how many times in a row it was deferred because the receiver had no free slot.
 * Read from the JMS message's properties ({@link DeliveryQueue}); the sender and message id are
 * carried for operators browsing the queue.
 *
 * @param dispatch  the number of the dispatch that sent it; empty for a message from before
 *                  dispatches were numbered
 * @param receiver  the receiver's name; {@code null} for a message from before it was carried
 * @param deferrals 0 for a message as dispatched, else how many times it was deferred
 * @param probe     whether it was sent to try a receiver that is down ({@code org.courier.receivers})
 */
public record QueuedDelivery(String deliveryId, OptionalInt dispatch, String receiver, String sender, String messageId,
                      int deferrals, boolean probe) {

    static QueuedDelivery of(Message message) {
        try {
            return new QueuedDelivery(message.getStringProperty(DeliveryQueue.DELIVERY_ID),
                    message.propertyExists(DeliveryQueue.DISPATCH)
                            ? OptionalInt.of(message.getIntProperty(DeliveryQueue.DISPATCH))
                            : OptionalInt.empty(),
                    message.getStringProperty(DeliveryQueue.RECEIVER),
                    message.getStringProperty(DeliveryQueue.SENDER),
                    message.getStringProperty(DeliveryQueue.MESSAGE_ID),
                    message.propertyExists(DeliveryQueue.DEFERRALS) ? message.getIntProperty(DeliveryQueue.DEFERRALS) : 0,
                    message.propertyExists(DeliveryQueue.PROBE) && message.getBooleanProperty(DeliveryQueue.PROBE));
        } catch (JMSException e) {
            throw new IllegalStateException("Delivery message with unreadable properties", e);
        }
    }

    /** The same message, deferred once more. */
    public QueuedDelivery deferred() {
        return new QueuedDelivery(deliveryId, dispatch, receiver, sender, messageId, deferrals + 1, probe);
    }
}
