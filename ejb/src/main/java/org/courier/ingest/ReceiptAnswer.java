package org.courier.ingest;

/**
 * Courier's answer to one message of a batch: its acknowledgement, or the refusal that a send
 * of it alone would have raised. Exactly one of the two is set.
 */
public record ReceiptAnswer(String messageId, Acknowledgement acknowledgement, RequestRejected refusal) {

    static ReceiptAnswer acknowledged(Acknowledgement acknowledgement) {
        return new ReceiptAnswer(acknowledgement.messageId(), acknowledgement, null);
    }

    static ReceiptAnswer refused(String messageId, RequestRejected refusal) {
        return new ReceiptAnswer(messageId, null, refusal);
    }

    public boolean acknowledged() {
        return acknowledgement != null;
    }
}
