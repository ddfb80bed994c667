package org.courier.status;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import org.courier.delivery.DeliveryAttempts;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;
import org.courier.message.ReceivedMessage;
import org.courier.sequencing.QueueLane;

/** Answers a sender's question "what became of my message?". Read-only. */
@Stateless
public class MessageStatusQuery {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private DeliveryAttempts attempts;

    public MessageStatus find(String sender, String messageId) {
        ReceivedMessage message = em.createNamedQuery(ReceivedMessage.BY_SENDER_AND_ID, ReceivedMessage.class)
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new RequestRejected(FaultCode.UNKNOWN_MESSAGE,
                        "no message '" + messageId + "' of sender '" + sender + "' was accepted"));
        return new MessageStatus(message.sender(), message.messageId(), message.interfaceName(),
                message.qualityOfService(), message.acceptedAt(), message.acceptedBy(), message.queueId(), message.sequenceNo(),
                message.deliveries().stream().map(this::view).toList());
    }

    private MessageStatus.ReceiverDelivery view(Delivery d) {
        return new MessageStatus.ReceiverDelivery(d.receiver(), d.state(), d.attempts(), d.lastAttemptAt(),
                d.lastError(), d.deliveredAt(), d.deliveredBy(), d.state() == DeliveryState.HELD ? heldBehind(d) : null, d.nextResendAt(),
                attempts.possibleDuplicates(d.id()), d.part().isEmpty() ? null : d.part(),
                d.carriesMappedId() ? d.messageIdForReceiver() : null);
    }

    /** The message id at the head of the held delivery's lane. */
    private String heldBehind(Delivery held) {
        return Optional.ofNullable(em.find(QueueLane.class, held.laneId()))
                .flatMap(QueueLane::headDeliveryId)
                .map(headId -> em.find(Delivery.class, headId))
                .map(head -> head.message().messageId())
                .orElse(null);
    }
}
