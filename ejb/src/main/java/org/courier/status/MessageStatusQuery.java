package org.courier.status;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.courier.message.Delivery;
import org.courier.message.ReceivedMessage;

/** Answers a sender's question "what became of my message?". Read-only. */
@Stateless
public class MessageStatusQuery {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    public MessageStatus find(String sender, String messageId) {
        ReceivedMessage message = em.createNamedQuery(ReceivedMessage.BY_SENDER_AND_ID, ReceivedMessage.class)
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new RequestRejected(FaultCode.UNKNOWN_MESSAGE,
                        "no message '" + messageId + "' of sender '" + sender + "' was accepted"));
        return new MessageStatus(message.sender(), message.messageId(), message.interfaceName(),
                message.qualityOfService(), message.acceptedAt(),
                message.deliveries().stream().map(MessageStatusQuery::view).toList());
    }

    private static MessageStatus.ReceiverDelivery view(Delivery d) {
        return new MessageStatus.ReceiverDelivery(d.receiver(), d.state(), d.attempts(), d.lastAttemptAt(),
                d.lastError(), d.deliveredAt());
    }
}
