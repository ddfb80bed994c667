package org.courier.operations;

/** One message's delivery to one receiver, as an operator acts on it. */
public record DeliveryView(String sender, String messageId, String receiver, String state, int attempts,
                           String lastError, String queueId, Long sequence) {
}
