package org.courier.tracking;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * One accepted message as a search lists it: its identity, its queue and place for Exactly Once
 * In Order ({@code null} otherwise), when it was accepted and by which node, and where each of its
 * deliveries stands.
 */
@JsonbNillable
@JsonbPropertyOrder({"sender", "messageId", "interfaceName", "qualityOfService", "queueId", "sequence", "acceptedAt",
        "acceptedBy", "deliveries"})
public record MessageSummary(String sender, String messageId, @JsonbProperty("interface") String interfaceName,
                             String qualityOfService, String queueId, Long sequence, Instant acceptedAt,
                             String acceptedBy, List<ReceiverState> deliveries) {

    /** One delivery: the receiver, the part ('' for the whole message) and its state. */
    @JsonbPropertyOrder({"receiver", "part", "state"})
    public record ReceiverState(String receiver, String part, String state) {
    }
}
