package org.courier.tracking;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.courier.access.OperatorScope;
import org.courier.aggregation.Aggregator;
import org.courier.idmapping.IdMapper;
import org.courier.idmapping.IdMapping;
import org.courier.message.Delivery;
import org.courier.message.DeliveryAttempt;
import org.courier.message.DeliveryState;
import org.courier.message.ReceivedMessage;
import org.courier.message.ScopedMessages;
import org.courier.operations.ActionRefused;
import org.courier.retention.Tombstones;
import org.courier.sequencing.QueueLane;

/**
 * One message's record for operators ({@link MessageDetail}), read in one transaction, and its
 * payload ({@link MessagePayload}) for those who may view it. Both are looked up within the
 * operator's scope: a message outside it is refused with NOT_FOUND exactly like one Courier never
 * accepted. Only an operator who holds every interface of the sender is told that the message was
 * accepted and purged since (the tombstone knows the sender, not the interface).
 */
@Stateless
public class MessageDetails {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private IdMapper idMapper;

    @EJB
    private Tombstones tombstones;

    public MessageDetail find(OperatorScope scope, String sender, String messageId) {
        ReceivedMessage m = message(scope, sender, messageId);
        List<Delivery> deliveries = m.deliveries();
        Map<String, List<MessageDetail.Attempt>> history = attemptsOf(deliveries.stream().map(Delivery::id).toList());
        return new MessageDetail(m.sender(), m.messageId(), m.interfaceName(), m.qualityOfService().wireName(),
                m.queueId(), m.sequenceNo(), m.acceptedAt(), m.acceptedBy(), m.payloadHash(), m.payload().getBytes(StandardCharsets.UTF_8).length,
                deliveries.stream().map(d -> MessageDetail.DeliveryRecord.of(d, heldBehind(d),
                        history.getOrDefault(d.id(), List.of()))).toList(),
                idMapper.bySource(scope, IdMapping.sourceId(sender, messageId)).stream().map(MessageDetail.MappedId::of)
                        .toList(),
                idMapper.byTarget(scope, messageId).stream()
                        .filter(mapping -> mapping.context().equals(Aggregator.MEMBER_CONTEXT_PREFIX + sender))
                        .map(IdMapping::sourceId).toList());
    }

    /** For a HELD delivery, the message id of its lane's head: the one it waits for; else null. */
    private String heldBehind(Delivery d) {
        if (d.state() != DeliveryState.HELD || d.laneId() == null) {
            return null;
        }
        QueueLane lane = em.find(QueueLane.class, d.laneId());
        return lane == null ? null : lane.headDeliveryId()
                .filter(head -> !head.equals(d.id()))
                .map(head -> em.find(Delivery.class, head))
                .map(head -> head.message().messageId())
                .orElse(null);
    }

    /** The message's payload as stored; for operators with the role to view payloads (the admin API checks it). */
    public MessagePayload payload(OperatorScope scope, String sender, String messageId) {
        ReceivedMessage m = message(scope, sender, messageId);
        return new MessagePayload(m.sender(), m.messageId(), m.interfaceName(), m.payloadHash(), m.payload());
    }

    private ReceivedMessage message(OperatorScope scope, String sender, String messageId) {
        return ScopedMessages.find(em, scope, sender, messageId).orElseThrow(() -> notFound(scope, sender, messageId));
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

    private ActionRefused notFound(OperatorScope scope, String sender, String messageId) {
        boolean wholeSender = scope.permitsSender(sender) && scope.interfaces() == null;
        String purged = !wholeSender ? "" : tombstones.find(sender, messageId)
                .map(t -> ": it was accepted at " + t.acceptedAt() + " and purged at " + t.purgedAt()
                        + " (retention); only its tombstone is left")
                .orElse("");
        return new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                "no message " + messageId + " of sender " + sender + purged);
    }
}
