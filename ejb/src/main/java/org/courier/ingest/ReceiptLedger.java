package org.courier.ingest;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.courier.aggregation.Aggregator;
import org.courier.aggregation.ReleasedAggregate;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.idmapping.IdMapper;
import org.courier.idmapping.IdMapping;
import org.courier.ingest.CheckedReceipt.PlannedDelivery;
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.retention.Tombstones;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.Route;
import org.courier.routing.RoutingTable;
import org.courier.sequencing.QueueBusy;
import org.courier.sequencing.SequenceGate;

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
    private IdMapper idMapper;

    @EJB
    private DeliveryDispatcher dispatcher;

    @EJB
    private SequenceGate gate;

    @EJB
    private Tombstones tombstones;

    @EJB
    private Aggregator aggregator;

    @EJB
    private RoutingTable routing;

    /**
     * Stores the message with a delivery per receiver and dispatches those that may go now:
     * all of them for Exactly Once; for Exactly Once In Order the message is numbered in its
     * queue (whose lock is held to commit, so numbers follow acceptance) and only deliveries
     * to idle lanes go, the others are held. The queue must have been prepared.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Acknowledgement record(CheckedReceipt receipt) {
        return store(receipt);
    }

    /**
     * Stores many receipts in one transaction, each exactly as {@link #record} would: all or
     * none. Any one that cannot be stored (its id was stored before, a queue is busy, an id was
     * purged) rolls the whole batch back; the caller then stores them one by one.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Acknowledgement> recordAll(List<CheckedReceipt> receipts) {
        List<Acknowledgement> acknowledgements = new ArrayList<>(receipts.size());
        for (CheckedReceipt receipt : receipts) {
            acknowledgements.add(store(receipt));
        }
        return acknowledgements;
    }

    private Acknowledgement store(CheckedReceipt receipt) {
        SendCommand command = receipt.command();
        ReceivedMessage message = new ReceivedMessage(command.sender(), command.messageId(), command.interfaceName(),
                receipt.qos(), command.queueId(), command.payload(), receipt.payloadHash());
        boolean inOrder = receipt.qos() == QualityOfService.EXACTLY_ONCE_IN_ORDER;
        try {
            if (inOrder) {
                gate.number(message);
            }
            insert(message);
            refuseIfPurged(message);
            List<Delivery> deliveries = new ArrayList<>();
            for (PlannedDelivery planned : receipt.deliveries()) {
                Delivery delivery = message.addDelivery(planned.receiver().name(), planned.part(), planned.partNo(),
                        planned.partPayload());
                targetId(message, planned).ifPresent(delivery::carryTargetId);
                em.persist(delivery);
                deliveries.add(delivery);
            }
            (inOrder ? gate.admit(message, deliveries) : deliveries).forEach(dispatcher::dispatch);
            if (receipt.collecting() != null) {
                aggregator.add(receipt.collecting().aggregator(), receipt.collecting().correlation(), message)
                        .ifPresent(this::storeReleased);
            }
        } catch (QueueBusy busy) {
            throw new ReceiptNotStored(busy);
        }
        return acknowledgement(message);
    }

    /**
     * The id the delivery carries instead of the sender's, if any: mapped in the receiver's
     * format when it has one (context: the receiver, or receiver#part), else, for a part,
     * the sender's id with {@code #part} — distinct per part, the same on every resend.
     */
    private Optional<String> targetId(ReceivedMessage message, PlannedDelivery planned) {
        String context = planned.part().isEmpty() ? planned.receiver().name() : planned.receiver().name() + "#" + planned.part();
        return planned.receiver().idMappingRule()
                .map(rule -> idMapper.map(IdMapping.sourceId(message.sender(), message.messageId()), context, rule))
                .or(() -> planned.part().isEmpty() ? Optional.empty() : Optional.of(message.messageId() + "#" + planned.part()));
    }

    /**
     * Releases an aggregation's aggregate if its timeout passed: the aggregate is accepted as an
     * Exactly Once message in the same transaction that closes it.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void releaseDue(String aggregationId) {
        aggregator.releaseIfDue(aggregationId).ifPresent(this::storeReleased);
    }

    /** A released aggregate is accepted like a send from its aggregator, by the route for its interface. */
    private void storeReleased(ReleasedAggregate released) {
        SendCommand command = new SendCommand(released.sender(), released.interfaceName(), released.messageId(),
                QualityOfService.EXACTLY_ONCE.wireName(), null, released.payload());
        Route route = routing.routeFor(command.sender(), command.interfaceName()).orElseThrow(() -> new IllegalStateException(
                "no route for the aggregates of " + released.sender() + " (interface " + released.interfaceName() + ")"));
        List<ReceiverEndpoint> receivers = routing.receiversFor(command.sender(), command.interfaceName()).orElseThrow();
        store(new CheckedReceipt(command, QualityOfService.EXACTLY_ONCE, PayloadFingerprint.of(command.payload()), receivers,
                DeliveryPlan.of(command, route, routing), null));
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<StoredReceipt> find(String sender, String messageId) {
        return em.createNamedQuery(ReceivedMessage.BY_SENDER_AND_ID, ReceivedMessage.class)
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst()
                .map(m -> new StoredReceipt(acknowledgement(m), m.payloadHash()));
    }

    private static Acknowledgement acknowledgement(ReceivedMessage m) {
        return new Acknowledgement(m.sender(), m.messageId(), Acknowledgement.Result.ACCEPTED, m.acceptedAt(),
                m.queueId(), m.sequenceNo());
    }

    /**
     * A retry that comes after its message was purged is refused, not taken for a new message.
     * Looked up after the insert, not before: a purge deletes the message and writes its
     * tombstone in one transaction, and while it runs an insert of the same (sender, message
     * id) collides with the message on the unique key — it waits until the purge commits
     * (PostgreSQL) or fails (H2; answered from the record, as for any duplicate). So once the
     * insert has succeeded, the purge has committed and its tombstone is visible (read
     * committed); looked up before the insert, it could still be missing and the retry would
     * be stored as new. Rolls the whole receipt back.
     */
    private void refuseIfPurged(ReceivedMessage message) {
        tombstones.find(message.sender(), message.messageId()).ifPresent(tombstone -> {
            throw new RequestRejected(FaultCode.MESSAGE_ID_EXPIRED, "message id '" + message.messageId()
                    + "' was accepted at " + tombstone.acceptedAt() + " and has since been purged after delivery:"
                    + " it is not processed again; a new message needs a new id");
        });
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
