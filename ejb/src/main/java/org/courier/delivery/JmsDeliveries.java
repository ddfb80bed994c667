package org.courier.delivery;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.TextMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.NamingException;
import org.courier.message.Causes;
import org.courier.message.Delivery;
import org.courier.routing.JmsDestination;
import org.courier.routing.ReceiverEndpoint;

/**
 * Delivers to JMS receivers ({@code protocol="jms"}): each delivery is one persistent text message,
 * the payload as its body, sent to the receiver's queue through WildFly's pooled connection factory
 * ({@link JmsDestination}). The factory is XA: the send is a branch of the delivery's transaction,
 * the one that records the delivery as delivered, so the message is in the queue if and only if that
 * record commits. A kill before the commit leaves nothing in the queue (or a prepared branch that
 * transaction recovery settles with the rest); a retry after a rollback sends a message that was
 * never there. There is no in-doubt case and no duplicate, whatever the receiving application does.
 *
 * <p>The message carries what an HTTP receiver gets in {@code Courier-*} headers as properties
 * named without the hyphens (JMS property names are Java identifiers): CourierMessageId,
 * CourierSourceMessageId (a mapped id's source), CourierPart, CourierSender, CourierInterface, and
 * for Exactly Once In Order CourierQueueId, CourierSequence and {@code JMSXGroupID} = the queue id (so
 * that a broker that groups messages, as Artemis does, hands one queue's messages to one consumer,
 * in order); the message id also as {@code JMSCorrelationID}.
 *
 * <p>A broker out of reach, or a send it refuses, is a failed attempt, retried as any other
 * (the receiver's health counts it). A connection factory WildFly does not have is refused for
 * good: only an operator can add it (the configuration check at deployment and reload says so first).
 */
final class JmsDeliveries {

    private final Map<String, ConnectionFactory> factories = new ConcurrentHashMap<>();

    ReceiverResponse deliver(ReceiverEndpoint receiver, Delivery delivery) {
        JmsDestination destination = JmsDestination.of(receiver.url());
        ConnectionFactory factory;
        try {
            factory = factory(destination);
        } catch (NamingException e) {
            return ReceiverResponse.refused(e.getMessage());
        }
        try (JMSContext context = factory.createContext()) {
            TextMessage message = context.createTextMessage(delivery.payloadForReceiver());
            identify(message, delivery);
            context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(context.createQueue(destination.queue()), message);
            return ReceiverResponse.delivered();
        } catch (JMSRuntimeException | JMSException e) {
            return ReceiverResponse.failed(destination + ": " + Causes.reason(e));
        }
    }

    private ConnectionFactory factory(JmsDestination destination) throws NamingException {
        ConnectionFactory known = factories.get(destination.factory());
        if (known != null) {
            return known;
        }
        ConnectionFactory factory = destination.connectionFactory();
        factories.put(destination.factory(), factory);
        return factory;
    }

    /**
     * The {@code Courier-*} headers an HTTP receiver gets, as properties named without the hyphens
     * (JMS property names are Java identifiers); the in-order queue also as the JMS group.
     */
    private static void identify(TextMessage message, Delivery delivery) throws JMSException {
        Map<String, String> headers = new LinkedHashMap<>();
        ReceiverClient.identify(delivery, headers::put);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            message.setStringProperty(header.getKey().replace("-", ""), header.getValue());
        }
        message.setJMSCorrelationID(delivery.messageIdForReceiver());
        if (delivery.isInOrder()) {
            message.setStringProperty("JMSXGroupID", delivery.message().queueId());
        }
    }
}
