package org.courier.reconciliation;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A message that does not add up: for which receiver ({@code null}: the message as a whole) and why. */
@JsonbNillable
@JsonbPropertyOrder({"messageId", "receiver", "reason"})
public record Unbalanced(String messageId, String receiver, String reason) {
}
