package org.courier.ingest;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.routing.ReceiverEndpoint;

/**
 * Writes receipts: the idempotency record with the message, a pending delivery per receiver
 * and their JMS messages, in one XA transaction of its own. Insert first, never
 * check-then-insert: the unique key on (sender, message id) makes the first of two
 * concurrent receipts win and the other fail at flush.
 */
@Stateless
public class ReceiptLedger {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private DeliveryDispatcher dispatcher;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Acknowledgement record(SendCommand command, QualityOfService qos, String payloadHash,
                                  List<ReceiverEndpoint> receivers) {
        ReceivedMessage message = new ReceivedMessage(command.sender(), command.messageId(), command.interfaceName(),
                qos, command.queueId(), command.payload(), payloadHash);
        insert(message);
        for (ReceiverEndpoint receiver : receivers) {
            Delivery delivery = message.addDelivery(receiver.name());
            em.persist(delivery);
            dispatcher.dispatch(delivery);
        }
        return new Acknowledgement(message.sender(), message.messageId(), Acknowledgement.Result.ACCEPTED,
                message.acceptedAt());
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<StoredReceipt> find(String sender, String messageId) {
        return em.createNamedQuery(ReceivedMessage.BY_SENDER_AND_ID, ReceivedMessage.class)
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .map(m -> new StoredReceipt(
                        new Acknowledgement(m.sender(), m.messageId(), Acknowledgement.Result.ACCEPTED, m.acceptedAt()),
                        m.payloadHash()));
    }

    private void insert(ReceivedMessage message) {
        try {
            em.persist(message);
            em.flush();
        } catch (PersistenceException e) {
            throw new ReceiptNotStored(e);
        }
    }
}
