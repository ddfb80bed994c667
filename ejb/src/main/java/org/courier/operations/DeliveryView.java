package org.courier.operations;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** One message's delivery to one receiver, as an operator acts on it. */
@JsonbPropertyOrder({"sender", "messageId", "interfaceName", "receiver", "state", "attempts", "lastError", "queueId",
        "sequence"})
public record DeliveryView(String sender, String messageId, @JsonbProperty("interface") String interfaceName,
                           String receiver, String state, int attempts, String lastError, String queueId, Long sequence) {
}
