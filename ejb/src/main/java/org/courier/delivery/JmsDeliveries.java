package org.courier.delivery;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.courier.message.Delivery;
import org.courier.message.ReceivedMessage;
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
 * (JMS property names are Java identifiers): {@value #MESSAGE_ID}, {@value #SOURCE_MESSAGE_ID} (a
 * mapped id's source), {@value #PART}, {@value #SENDER}, {@value #INTERFACE}, and for Exactly Once
 * In Order {@value #QUEUE_ID}, {@value #SEQUENCE} and {@code JMSXGroupID} = the queue id (so that a
 * broker that groups messages, as Artemis does, hands one queue's messages to one consumer, in
 * order); the message id also as {@code JMSCorrelationID}.
 *
 * <p>A broker out of reach, or a send it refuses, is a failed attempt, retried as any other
 * (the receiver's health counts it). A connection factory WildFly does not have is refused for
 * good: only an operator can add it (the configuration check at deployment and reload says so first).
 */
final class JmsDeliveries {

    static final String MESSAGE_ID = "CourierMessageId";
    static final String SOURCE_MESSAGE_ID = "CourierSourceMessageId";
    static final String PART = "CourierPart";
    static final String SENDER = "CourierSender";
    static final String INTERFACE = "CourierInterface";
    static final String QUEUE_ID = "CourierQueueId";
    static final String SEQUENCE = "CourierSequence";

    private static final int MAX_REASON = 300;

    private final Map<String, ConnectionFactory> factories = new ConcurrentHashMap<>();

    ReceiverResponse deliver(ReceiverEndpoint receiver, Delivery delivery) {
        JmsDestination destination = JmsDestination.of(receiver.url());
        ConnectionFactory factory;
        try {
            factory = factory(destination);
        } catch (NamingException e) {
            return ReceiverResponse.refused(destination.missingFactory());
        }
        try (JMSContext context = factory.createContext()) {
            TextMessage message = context.createTextMessage(delivery.payloadForReceiver());
            identify(message, delivery);
            context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(context.createQueue(destination.queue()), message);
            return ReceiverResponse.delivered();
        } catch (JMSRuntimeException | JMSException e) {
            return ReceiverResponse.failed(destination + ": " + describe(e));
        }
    }

    private ConnectionFactory factory(JmsDestination destination) throws NamingException {
        ConnectionFactory known = factories.get(destination.factory());
        if (known != null) {
            return known;
        }
        Object found = new InitialContext().lookup(destination.jndiName());
        if (!(found instanceof ConnectionFactory factory)) {
            throw new NamingException(destination.jndiName() + " is no JMS connection factory");
        }
        factories.put(destination.factory(), factory);
        return factory;
    }

    private static void identify(TextMessage message, Delivery delivery) throws JMSException {
        ReceivedMessage received = delivery.message();
        message.setStringProperty(MESSAGE_ID, delivery.messageIdForReceiver());
        message.setJMSCorrelationID(delivery.messageIdForReceiver());
        message.setStringProperty(SENDER, received.sender());
        message.setStringProperty(INTERFACE, received.interfaceName());
        if (delivery.carriesMappedId()) {
            message.setStringProperty(SOURCE_MESSAGE_ID, received.messageId());
        }
        if (!delivery.part().isEmpty()) {
            message.setStringProperty(PART, delivery.part());
        }
        if (delivery.isInOrder()) {
            message.setStringProperty(QUEUE_ID, received.queueId());
            message.setLongProperty(SEQUENCE, delivery.sequenceNo());
            message.setStringProperty("JMSXGroupID", received.queueId());
        }
    }

    /**
     * The exception in one line: the broker's own reason, its deepest cause's message (what the pool
     * and the resource adapter wrap it in says nothing to an operator), at most {@value #MAX_REASON} characters.
     */
    private static String describe(Exception e) {
        Throwable reason = e;
        Throwable next = cause(e);
        for (int depth = 0; next != null && depth < 20; depth++, next = cause(next)) {
            if (next.getMessage() != null) {
                reason = next;
            }
        }
        String text = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
    }

    private static Throwable cause(Throwable t) {
        return t.getCause() != null ? t.getCause() : t instanceof JMSException j ? j.getLinkedException() : null;
    }
}
