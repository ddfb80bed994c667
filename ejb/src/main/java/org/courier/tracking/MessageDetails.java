package org.courier.tracking;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.courier.idmapping.IdMapper;
import org.courier.idmapping.IdMapping;
import org.courier.message.Delivery;
import org.courier.message.DeliveryAttempt;
import org.courier.message.ReceivedMessage;
import org.courier.operations.ActionRefused;
import org.courier.retention.Tombstones;

/**
 * One message's full record for operators ({@link MessageDetail}), read in one transaction.
 * Refuses with NOT_FOUND a message Courier never accepted, and says so when it was accepted
 * and has been purged since (only its tombstone is left).
 */
@Stateless
public class MessageDetails {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private IdMapper idMapper;

    @EJB
    private Tombstones tombstones;

    public MessageDetail find(String sender, String messageId) {
        ReceivedMessage m = em.createNamedQuery(ReceivedMessage.BY_SENDER_AND_ID, ReceivedMessage.class)
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> notFound(sender, messageId));
        List<Delivery> deliveries = m.deliveries();
        Map<String, List<MessageDetail.Attempt>> history = attemptsOf(deliveries.stream().map(Delivery::id).toList());
        return new MessageDetail(m.sender(), m.messageId(), m.interfaceName(), m.qualityOfService().wireName(),
                m.queueId(), m.sequenceNo(), m.acceptedAt(), m.payloadHash(), m.payload(),
                deliveries.stream().map(d -> MessageDetail.DeliveryRecord.of(d, history.getOrDefault(d.id(), List.of())))
                        .toList(),
                idMapper.bySource(IdMapping.sourceId(sender, messageId)).stream().map(MessageDetail.MappedId::of).toList());
    }

    private Map<String, List<MessageDetail.Attempt>> attemptsOf(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select a from DeliveryAttempt a where a.deliveryId in :ids order by a.startedAt, a.id",
                        DeliveryAttempt.class)
                .setParameter("ids", deliveryIds)
                .getResultStream()
                .collect(Collectors.groupingBy(DeliveryAttempt::deliveryId,
                        Collectors.mapping(MessageDetail.Attempt::of, Collectors.toList())));
    }

    private ActionRefused notFound(String sender, String messageId) {
        String purged = tombstones.find(sender, messageId)
                .map(t -> ": it was accepted at " + t.acceptedAt() + " and purged at " + t.purgedAt()
                        + " (retention); only its tombstone is left")
                .orElse("");
        return new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                "no message " + messageId + " of sender " + sender + purged);
    }
}
