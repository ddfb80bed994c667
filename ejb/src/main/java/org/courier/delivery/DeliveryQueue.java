package org.courier.delivery;

/**
 * The JMS queue of pending deliveries and the properties of its messages. The business ids
 * travel as properties, so operators can browse the queue in the WildFly console.
 */
final class DeliveryQueue {

    static final String JNDI_NAME = "java:global/jms/courier/Delivery";
    /**
     * The XA connection factory through which a delivery transaction takes further messages of the
     * queue (server/cli/configure-courier.cli): a consumer window of 0, unlike {@code java:/JmsXA}'s
     * 1 MiB, with which a consumer would fetch hundreds of messages ahead and hold them from the
     * other sessions until it closes.
     */
    static final String PULL_FACTORY = "java:/jms/courier/DeliveryPull";
    static final String DELIVERY_ID = "CourierDeliveryId";
    /** The number of the dispatch that sent the message (see {@code Delivery.check}). */
    static final String DISPATCH = "CourierDispatch";
    static final String RECEIVER = "CourierReceiver";
    static final String SENDER = "CourierSender";
    static final String MESSAGE_ID = "CourierMessageId";
    /** How many times in a row the message was put back because its receiver had no free slot; absent: never. */
    static final String DEFERRALS = "CourierDeferrals";
    /** Set on a delivery sent to try a receiver that is down: it is attempted although the receiver holds its deliveries. */
    static final String PROBE = "CourierProbe";

    private DeliveryQueue() {
    }
}
