package org.courier.tracking;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.courier.idmapping.IdMapping;
import org.courier.message.Delivery;
import org.courier.message.DeliveryAttempt;

/**
 * What Courier holds about one accepted message, for an operator tracing it: identity, the
 * payload's hash and size in bytes (UTF-8) — not the payload: it carries business data, and
 * viewing it is a permission of its own ({@link MessagePayload}) — every delivery with its
 * counters and, for a non-idempotent receiver, each attempt, and the ids the message was given
 * for its receivers (a member of an aggregate: its aggregate's id, context {@code
 * aggregate:<aggregator>}); for an aggregate, its members ({@code sender/messageId}, in the
 * operator's scope).
 */
@JsonbNillable
@JsonbPropertyOrder({"sender", "messageId", "interfaceName", "qualityOfService", "queueId", "sequence", "acceptedAt",
        "acceptedBy", "payloadHash", "payloadBytes", "deliveries", "mappedIds", "members"})
public record MessageDetail(String sender, String messageId, @JsonbProperty("interface") String interfaceName,
                            String qualityOfService, String queueId, Long sequence, Instant acceptedAt, String acceptedBy,
                            String payloadHash,
                            long payloadBytes, List<DeliveryRecord> deliveries, List<MappedId> mappedIds,
                            List<String> members) {

    /**
     * One delivery (one part of the message for one receiver): {@code resends} counts the scheduled
     * resend rounds, {@code nextResendAt} is when the failure store (or an in-doubt check) tries it
     * next, {@code laneId} and {@code sequence} place it in its in-order lane, {@code targetMessageId}
     * is the id the receiver gets when it is not the sender's; {@code deliveredBy} is the node that
     * delivered it, {@code dispatchedBy} the node whose broker holds its message while it is PENDING
     * (the one whose death a takeover answers); {@code heldBehind}, for a HELD delivery, the message
     * id of its lane's head, which it waits for (of the same sender and queue).
     */
    @JsonbNillable
    @JsonbPropertyOrder({"receiver", "part", "state", "attempts", "resends", "lastAttemptAt", "lastError", "deliveredAt",
            "deliveredBy", "dispatchedBy", "nextResendAt", "laneId", "sequence", "heldBehind", "targetMessageId",
            "attemptHistory"})
    public record DeliveryRecord(String receiver, String part, String state, int attempts, int resends,
                                 Instant lastAttemptAt, String lastError, Instant deliveredAt, String deliveredBy,
                                 String dispatchedBy, Instant nextResendAt, String laneId, Long sequence,
                                 String heldBehind, String targetMessageId, List<Attempt> attemptHistory) {

        static DeliveryRecord of(Delivery d, String heldBehind, List<Attempt> history) {
            return new DeliveryRecord(d.receiver(), d.part(), d.state().name(), d.attempts(), d.resends(),
                    d.lastAttemptAt(), d.lastError(), d.deliveredAt(), d.deliveredBy(), d.dispatchedBy(),
                    d.nextResendAt(), d.laneId(), d.sequenceNo(), heldBehind,
                    d.carriesMappedId() ? d.messageIdForReceiver() : null, history);
        }
    }

    /**
     * One attempt to a non-idempotent receiver, recorded before its request went out:
     * {@code outcome} is {@code null} while it is in doubt; {@code detail} is the error (with the
     * receiver's HTTP status when it answered) or how the doubt was settled.
     */
    @JsonbNillable
    @JsonbPropertyOrder({"startedAt", "endedAt", "outcome", "detail"})
    public record Attempt(Instant startedAt, Instant endedAt, String outcome, String detail) {

        static Attempt of(DeliveryAttempt a) {
            return new Attempt(a.startedAt(), a.endedAt(), a.outcome() == null ? null : a.outcome().name(), a.detail());
        }
    }

    /** An id the message was given for a receiver, the same shape as {@code GET /api/id-mappings} answers. */
    @JsonbNillable
    @JsonbPropertyOrder({"sourceId", "context", "targetId", "format", "mapping", "createdAt", "expiresAt"})
    public record MappedId(String sourceId, String context, String targetId, String format, String mapping,
                           Instant createdAt, Instant expiresAt) {

        static MappedId of(IdMapping m) {
            return new MappedId(m.sourceId(), m.context(), m.targetId(), m.format(), m.mode().name().toLowerCase(),
                    m.createdAt(), m.expiresAt());
        }
    }
}
