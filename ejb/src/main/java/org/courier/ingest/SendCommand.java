package org.courier.ingest;

/**
 * A sender's request to deliver a message, as it arrived: fields are checked by
 * {@link SendCommandValidator}, nothing here is trusted yet.
 *
 * @param qualityOfService the wire name, e.g. {@code ExactlyOnce}
 * @param payload the serialized XML element, or {@code null} when the request carried none
 */
public record SendCommand(String sender, String interfaceName, String messageId,
                          String qualityOfService, String queueId, String payload) {

    /** Whether the request carried a message id at all. */
    public boolean hasMessageId() {
        return messageId != null && !messageId.isEmpty();
    }

    /** The same command with this message id (one taken from the payload). */
    public SendCommand withMessageId(String id) {
        return new SendCommand(sender, interfaceName, id, qualityOfService, queueId, payload);
    }
}
