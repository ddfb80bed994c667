package org.courier.jmsin;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.courier.content.XmlPayload;
import org.courier.ingest.Acknowledgement;
import org.courier.ingest.MessageReceipt;
import org.courier.ingest.RequestRejected;
import org.courier.ingest.SendCommand;
import org.courier.message.Causes;
import org.courier.routing.JmsChannel;

/**
 * One transaction of a JMS channel: takes the messages waiting in the channel's queue, up to a
 * batch, through the channel's pooled connection factory (XA: the take is a branch of this
 * transaction), has each accepted as a sender's {@code send} is ({@link MessageReceipt}), and
 * commits, which takes them off the queue. The receipt commits first, in its own transaction:
 * if Courier dies before this one commits, the broker gives the messages again and the receipt
 * answers DUPLICATE for each (the same id, the same payload), so every message is stored once.
 *
 * <p>A message refused for good (not one XML document, not text, an id that is no message id, too
 * large, the same id with another payload) is sent to the channel's dead-letter queue in the same
 * transaction, with its properties and {@value #REFUSAL} saying why: it leaves the queue exactly
 * when the refusal is on the dead-letter queue. A refusal a retry can mend (Courier busy) rolls the
 * transaction back and ends the take: the messages go back to the queue for the next one.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JmsChannelTake {

    /** The property a dead-lettered message carries: why Courier refused it. */
    public static final String REFUSAL = "CourierRefusal";
    /** The property whose value, when a message has it, is its message id (else its JMSMessageID). */
    public static final String MESSAGE_ID = "CourierMessageId";
    /** The most messages one transaction takes. */
    static final int BATCH = 100;
    /** How long the first receive of a take waits for a message. */
    static final long FIRST_WAIT_MILLIS = 200;

    private static final Logger LOG = Logger.getLogger(JmsChannelTake.class.getName());

    @Resource
    private SessionContext context;

    @EJB
    private MessageReceipt receipt;

    /** What a take did: how many messages it took off the queue, and why it took none, if it was held back. */
    public record Taken(int count, String holdBack) {
    }

    /**
     * Takes up to {@value #BATCH} messages of the channel's queue in this transaction.
     *
     * @throws NamingException if WildFly has no such connection factory (the configuration check says so first)
     */
    public Taken take(JmsChannel channel) throws NamingException {
        ConnectionFactory factory = channel.source().connectionFactory();
        try {
            return takeFrom(channel, factory);
        } catch (JMSRuntimeException e) {
            // the broker is out of reach or refuses: nothing was taken (an expected outcome, one line, no stack trace)
            context.setRollbackOnly();
            return new Taken(0, "nothing taken from " + channel.source() + ": " + Causes.reason(e));
        }
    }

    private Taken takeFrom(JmsChannel channel, ConnectionFactory factory) {
        try (JMSContext jms = factory.createContext();
             JMSConsumer consumer = jms.createConsumer(jms.createQueue(channel.source().queue()))) {
            int taken = 0;
            while (taken < BATCH) {
                Message message = taken == 0 ? consumer.receive(FIRST_WAIT_MILLIS) : consumer.receiveNoWait();
                if (message == null) {
                    return new Taken(taken, null);
                }
                String holdBack = accept(channel, jms, message);
                if (holdBack != null) {
                    context.setRollbackOnly();
                    return new Taken(0, "its messages wait in " + channel.source() + ": " + holdBack);
                }
                taken++;
            }
            return new Taken(taken, null);
        }
    }

    /** Stores one message, or dead-letters it; the reason to roll the take back, or null. */
    private String accept(JmsChannel channel, JMSContext jms, Message message) {
        String messageId;
        try {
            messageId = messageId(message);
            String payload = XmlPayload.write(XmlPayload.parse(body(message)).getDocumentElement());
            Acknowledgement acknowledgement = receipt.accept(new SendCommand(channel.sender(), channel.interfaceName(),
                    messageId, channel.qualityOfService(), channel.queueId(), payload));
            LOG.fine(() -> "JMS channel " + channel.name() + ": " + messageId + " " + acknowledgement.result());
            return null;
        } catch (JMSException e) {
            return "the broker could not read a message: " + e.getMessage();
        } catch (NotXml | XmlPayload.UnreadablePayload notXml) {
            deadLetter(channel, jms, message, "INVALID_REQUEST: the message is not one XML document: " + notXml.getMessage());
            return null;
        } catch (RequestRejected rejected) {
            if (rejected.retryable()) {
                return rejected.code() + ": " + rejected.getMessage();
            }
            deadLetter(channel, jms, message, rejected.code() + ": " + rejected.getMessage());
            return null;
        } catch (EJBException busy) {
            return "Courier could not store it now";
        }
    }

    /** The message id: the property {@value #MESSAGE_ID} if the message has it, else its JMSMessageID. */
    static String messageId(Message message) throws JMSException {
        String own = message.getStringProperty(MESSAGE_ID);
        return own != null && !own.isBlank() ? own : message.getJMSMessageID();
    }

    private static byte[] body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        throw new NotXml("a " + message.getClass().getSimpleName().replace("ActiveMQ", "") + ", not a text or bytes message");
    }

    /** The message, its properties and a refusal, to the dead-letter queue: in this transaction, with the take. */
    private void deadLetter(JmsChannel channel, JMSContext jms, Message message, String reason) {
        try {
            String id = message.getJMSMessageID();
            LOG.info("JMS channel " + channel.name() + ": message " + id + " refused, sent to " + channel.deadLetterQueue() + ": "
                    + reason);
            Message copy = message instanceof BytesMessage ? jms.createBytesMessage() : jms.createTextMessage(
                    message instanceof TextMessage text ? text.getText() : null);
            if (copy instanceof BytesMessage bytes) {
                bytes.writeBytes(body(message));
            }
            for (Object name : Collections.list(message.getPropertyNames())) {
                String property = (String) name;
                if (!property.startsWith("JMSX") && !property.startsWith("_")) {
                    copy.setObjectProperty(property, message.getObjectProperty(property));
                }
            }
            copy.setStringProperty(REFUSAL, reason);
            copy.setJMSCorrelationID(id);
            jms.createProducer().send(jms.createQueue(channel.deadLetterQueue()), copy);
        } catch (JMSException e) {
            throw new EJBException("could not dead-letter a message of JMS channel " + channel.name(), e);
        }
    }

    /** A message whose body is no document (a map, an object, a stream). */
    private static final class NotXml extends RuntimeException {
        NotXml(String message) {
            super(message);
        }
    }
}
