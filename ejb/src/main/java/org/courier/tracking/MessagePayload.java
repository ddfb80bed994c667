package org.courier.tracking;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * One accepted message's payload as stored, for an operator allowed to view business data (role
 * {@code payload}); every view is audited. {@code payloadHash} is the hash the message detail
 * shows, so the two can be matched.
 */
@JsonbPropertyOrder({"sender", "messageId", "interfaceName", "payloadHash", "payload"})
public record MessagePayload(String sender, String messageId, @JsonbProperty("interface") String interfaceName,
                             String payloadHash, String payload) {
}
