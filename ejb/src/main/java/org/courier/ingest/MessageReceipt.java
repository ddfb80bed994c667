package org.courier.ingest;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.List;
import java.util.logging.Logger;
import org.courier.message.QualityOfService;
import org.courier.routing.ReceiverEndpoint;
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

    private static final Logger LOG = Logger.getLogger(MessageReceipt.class.getName());

    @EJB
    private RoutingTable routing;

    @EJB
    private ReceiptLedger ledger;

    @EJB
    private SequenceGate gate;

    public Acknowledgement accept(SendCommand command) {
        QualityOfService qos = new SendCommandValidator(routing.maxPayloadBytes()).validate(command);
        List<ReceiverEndpoint> receivers = routing.receiversFor(command.sender(), command.interfaceName())
                .orElseThrow(() -> new RequestRejected(FaultCode.UNKNOWN_INTERFACE,
                        "no route for interface '" + command.interfaceName() + "' of sender '" + command.sender()
                                + "': ask an operator to configure one"));
        String payloadHash = PayloadFingerprint.of(command.payload());
        if (qos == QualityOfService.EXACTLY_ONCE_IN_ORDER) {
            prepareQueue(command, receivers);
        }
        try {
            return ledger.record(command, qos, payloadHash, receivers);
        } catch (ReceiptNotStored | EJBException notStored) {
            return answerForStored(command, payloadHash, notStored);
        }
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
                    + " not accepted, sender asked to retry: " + rootMessage(cause));
            return new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE,
                    "the message could not be stored now; nothing was accepted: send it again");
        });
        if (!stored.payloadHash().equals(payloadHash)) {
            throw new RequestRejected(FaultCode.MESSAGE_ID_CONFLICT,
                    "message id '" + command.messageId() + "' was accepted at " + stored.acknowledgement().acceptedAt()
                            + " with a different payload: a new message needs a new id");
        }
        LOG.fine(() -> "Duplicate of " + command.sender() + "/" + command.messageId() + " answered with its first acknowledgement");
        return stored.acknowledgement().asDuplicate();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
