package org.courier.ingest;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.courier.aggregation.AggregationCollided;
import org.courier.aggregation.Aggregator;
import org.courier.content.XmlPayload;
import org.courier.idmapping.PayloadIdentity;
import org.courier.message.Causes;
import org.courier.message.QualityOfService;
import org.courier.monitoring.CourierCounters;
import org.courier.routing.AggregatorDefinition;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.Route;
import org.courier.routing.RoutingTable;
import org.courier.sequencing.QueueCreationCollided;
import org.courier.sequencing.SequenceGate;

/**
 * Courier's idempotent receiver: accepts a message exactly once per (sender, message id).
 *
 * <p>Failure policy: a request that breaks a rule is rejected before anything is written. The
 * receipt itself runs in a transaction of its own ({@link ReceiptLedger#record}); if it does
 * not commit, the stored record decides: the same payload was accepted before
 * ({@code DUPLICATE}), a different one was ({@code MESSAGE_ID_CONFLICT}), or nothing was
 * stored and the sender should retry ({@code TEMPORARILY_UNAVAILABLE}). This method runs
 * outside any transaction so that the look-up sees what the failed insert collided with.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MessageReceipt {

    /** The most messages one batch may carry: one transaction, bounded in time and memory. */
    public static final int MAX_BATCH = 500;
    /** The longest correlation value an aggregator groups by. */
    static final int MAX_CORRELATION = 150;

    private static final Logger LOG = Logger.getLogger(MessageReceipt.class.getName());

    @EJB
    private RoutingTable routing;

    @EJB
    private ReceiptLedger ledger;

    @EJB
    private SequenceGate gate;

    @EJB
    private Aggregator aggregation;

    @Inject
    private CourierCounters counters;

    @Inject
    private ReceiptGroups groups;

    public Acknowledgement accept(SendCommand command) {
        return storeInGroup(check(command));
    }

    /**
     * Accepts a batch: each message is checked as {@link #accept} checks it, the valid ones are
     * stored in one transaction, and each message gets its own answer, in the batch's order. If
     * the batch transaction cannot commit — typically because a message of it was accepted
     * before (a sender repeating a batch whose answer it lost) — each message is stored alone,
     * which answers it exactly as a single send would. A message id repeated within the batch
     * is answered after the first one was stored (DUPLICATE or MESSAGE_ID_CONFLICT).
     */
    public List<ReceiptAnswer> acceptAll(List<SendCommand> commands) {
        if (commands.isEmpty() || commands.size() > MAX_BATCH) {
            throw new RequestRejected(FaultCode.INVALID_REQUEST, "a batch has 1 to " + MAX_BATCH + " messages, this one "
                    + commands.size() + ": split it");
        }
        ReceiptAnswer[] answers = new ReceiptAnswer[commands.size()];
        QueueGuard guard = new QueueGuard();
        List<Integer> batched = new ArrayList<>();
        List<CheckedReceipt> receipts = new ArrayList<>();
        Map<Integer, CheckedReceipt> repeated = new LinkedHashMap<>();
        Set<List<String>> keys = new HashSet<>();
        for (int i = 0; i < commands.size(); i++) {
            SendCommand command = commands.get(i);
            try {
                guard.checkNothingRefusedBefore(command);
                CheckedReceipt receipt = check(command);
                if (keys.add(List.of(command.sender(), receipt.command().messageId()))) {
                    batched.add(i);
                    receipts.add(receipt);
                } else {
                    repeated.put(i, receipt);
                }
            } catch (RequestRejected refused) {
                answers[i] = guard.refused(command, refused);
            }
        }
        if (!receipts.isEmpty()) {
            storeTogetherOrAlone(receipts, batched, answers, guard);
        }
        repeated.forEach((i, receipt) -> answers[i] = answerAlone(receipt, guard));
        return List.of(answers);
    }

    private void storeTogetherOrAlone(List<CheckedReceipt> receipts, List<Integer> positions, ReceiptAnswer[] answers,
                                      QueueGuard guard) {
        try {
            List<Acknowledgement> stored = ledger.recordAll(receipts);
            for (int k = 0; k < stored.size(); k++) {
                answers[positions.get(k)] = ReceiptAnswer.acknowledged(stored.get(k));
                counters.accepted(receipts.get(k).command().interfaceName());
            }
        } catch (ReceiptNotStored | RequestRejected | EJBException notTogether) {
            LOG.fine(() -> "A batch of " + receipts.size() + " messages is stored one by one: "
                    + Causes.rootMessage(notTogether));
            for (int k = 0; k < receipts.size(); k++) {
                answers[positions.get(k)] = answerAlone(receipts.get(k), guard);
            }
        }
    }

    private ReceiptAnswer answerAlone(CheckedReceipt receipt, QueueGuard guard) {
        SendCommand command = receipt.command();
        try {
            guard.checkNothingRefusedBefore(command);
            return ReceiptAnswer.acknowledged(store(receipt));
        } catch (RequestRejected refused) {
            return guard.refused(command, refused);
        }
    }

    /**
     * Keeps a batch's in-order queues in order: once a message of a queue is refused, the
     * queue's later messages in the batch are refused too (retryable), or they would be
     * numbered ahead of it.
     */
    private static final class QueueGuard {

        private final Set<List<String>> refusedQueues = new HashSet<>();

        void checkNothingRefusedBefore(SendCommand command) {
            if (command.queueId() != null && refusedQueues.contains(Arrays.asList(command.sender(), command.queueId()))) {
                throw new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE, "an earlier message of queue '"
                        + command.queueId() + "' in this batch was not accepted; this one was not either, to keep"
                        + " the queue's order: send it again after that one");
            }
        }

        ReceiptAnswer refused(SendCommand command, RequestRejected refusal) {
            if (command.queueId() != null) {
                refusedQueues.add(Arrays.asList(command.sender(), command.queueId()));
            }
            return ReceiptAnswer.refused(command.messageId(), refusal);
        }
    }

    /**
     * Every check before anything is written: fields (a missing message id taken from the payload
     * where the route says so), route, payload fingerprint, and an in-order queue to number in.
     */
    private CheckedReceipt check(SendCommand sent) {
        SendCommand command = PayloadIds.withIdFromPayload(sent, routing);
        QualityOfService qos = new SendCommandValidator(routing.maxPayloadBytes()).validate(command);
        List<ReceiverEndpoint> receivers = routing.receiversFor(command.sender(), command.interfaceName())
                .orElseThrow(() -> new RequestRejected(FaultCode.UNKNOWN_INTERFACE,
                        "no route for interface '" + command.interfaceName() + "' of sender '" + command.sender()
                                + "': ask an operator to configure one"));
        // an id from the payload: a resend that differs only in formatting is the same message
        String payloadHash = sent.hasMessageId() ? PayloadFingerprint.of(command.payload())
                : new PayloadIdentity.CanonicalHash().idOf(command.payload());
        Route route = routing.routeFor(command.sender(), command.interfaceName()).orElseThrow();
        checkIdFormat(command, route);
        List<CheckedReceipt.PlannedDelivery> deliveries = DeliveryPlan.of(command, route, routing);
        CheckedReceipt.Collecting collecting = collecting(command, route);
        if (qos == QualityOfService.EXACTLY_ONCE_IN_ORDER) {
            prepareQueue(command, receivers);
        }
        return new CheckedReceipt(command, qos, payloadHash, receivers, deliveries, collecting);
    }

    /** A sender whose ids have a known form (the route's message-id-format) gets them checked on the way in. */
    private static void checkIdFormat(SendCommand command, Route route) {
        if (route.senderIdFormat() != null) {
            route.senderIdFormat().problem(command.messageId()).ifPresent(problem -> {
                throw new RequestRejected(FaultCode.INVALID_REQUEST, "messageId " + problem + ", the form this interface's"
                        + " sender uses (" + route.senderIdFormat().name() + ")");
            });
        }
    }

    /**
     * For a route that aggregates: the message's correlation value (a message without one is
     * refused before anything is stored) and its aggregation row, made before the receipt.
     */
    private CheckedReceipt.Collecting collecting(SendCommand command, Route route) {
        if (route.aggregator() == null) {
            return null;
        }
        AggregatorDefinition aggregator = routing.aggregator(route.aggregator()).orElseThrow();
        String correlation;
        try {
            correlation = aggregator.correlation().idOf(command.payload());
        } catch (XmlPayload.UnreadablePayload unusable) {
            throw new RequestRejected(FaultCode.INVALID_REQUEST, "the message cannot be aggregated by " + aggregator.name()
                    + ": " + unusable.getMessage().replace("part of its message id: the message cannot be told from a duplicate",
                    "its correlation value"));
        }
        if (correlation.length() > MAX_CORRELATION) {
            throw new RequestRejected(FaultCode.INVALID_REQUEST, "the message's correlation value for aggregator "
                    + aggregator.name() + " has " + correlation.length() + " characters, more than " + MAX_CORRELATION);
        }
        try {
            aggregation.prepare(aggregator.name(), correlation);
        } catch (AggregationCollided collided) {
            aggregation.prepare(aggregator.name(), correlation);
        }
        return new CheckedReceipt.Collecting(aggregator, correlation);
    }

    /**
     * A single send's receipt, stored together with those that arrive at the same time
     * ({@link ReceiptGroups}). Not an in-order receipt, nor one for an aggregator: those lock rows
     * (the queue and its lanes, the aggregation) that a group would hold until its last receipt is
     * stored, so each would wait for the locks of all the others; they are stored alone. Nor
     * where grouping does not pay ({@link ReceiptGroups#pays()}: PostgreSQL).
     */
    private Acknowledgement storeInGroup(CheckedReceipt receipt) {
        if (receipt.qos() == QualityOfService.EXACTLY_ONCE_IN_ORDER || receipt.collecting() != null || !groups.pays()) {
            return store(receipt);
        }
        ReceiptGroups.Outcome outcome = groups.store(receipt, ledger::recordAll);
        if (outcome.stored() != null) {
            counters.accepted(receipt.command().interfaceName());
            return outcome.stored();
        }
        if (outcome.failure() == null) {
            return store(receipt);
        }
        return answerForNotStored(receipt, outcome.failure());
    }

    private Acknowledgement store(CheckedReceipt receipt) {
        try {
            Acknowledgement accepted = ledger.record(receipt);
            counters.accepted(receipt.command().interfaceName());
            return accepted;
        } catch (ReceiptNotStored | EJBException notStored) {
            return answerForStored(receipt.command(), receipt.payloadHash(), notStored);
        }
    }

    /** As {@link #store} answers a receipt whose transaction failed this way. */
    private Acknowledgement answerForNotStored(CheckedReceipt receipt, RuntimeException failure) {
        if (failure instanceof ReceiptNotStored || failure instanceof EJBException) {
            return answerForStored(receipt.command(), receipt.payloadHash(), failure);
        }
        throw failure;
    }

    private void prepareQueue(SendCommand command, List<ReceiverEndpoint> receivers) {
        List<String> names = receivers.stream().map(ReceiverEndpoint::name).toList();
        try {
            gate.prepare(command.sender(), command.queueId(), names);
        } catch (QueueCreationCollided collided) {
            gate.prepare(command.sender(), command.queueId(), names);
        }
    }

    private Acknowledgement answerForStored(SendCommand command, String payloadHash, RuntimeException cause) {
        StoredReceipt stored = ledger.find(command.sender(), command.messageId()).orElseThrow(() -> {
            LOG.warning(() -> "Message " + command.sender() + "/" + command.messageId()
                    + " not accepted, sender asked to retry: " + Causes.rootMessage(cause));
            return new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE,
                    "the message could not be stored now; nothing was accepted: send it again");
        });
        if (!stored.payloadHash().equals(payloadHash)) {
            throw new RequestRejected(FaultCode.MESSAGE_ID_CONFLICT,
                    "message id '" + command.messageId() + "' was accepted at " + stored.acknowledgement().acceptedAt()
                            + " with a different payload: a new message needs a new id");
        }
        LOG.fine(() -> "Duplicate of " + command.sender() + "/" + command.messageId() + " answered with its first acknowledgement");
        counters.duplicate(command.interfaceName());
        return stored.acknowledgement().asDuplicate();
    }
}
