package org.courier.ingest;

import java.time.Instant;

/**
 * Courier's answer to an accepted send: stored now ({@code ACCEPTED}) or before
 * ({@code DUPLICATE}); for Exactly Once In Order with the message's queue and place in it.
 */
public record Acknowledgement(String sender, String messageId, Result result, Instant acceptedAt,
                              String queueId, Long sequence) {

    public enum Result { ACCEPTED, DUPLICATE }

    public Acknowledgement asDuplicate() {
        return new Acknowledgement(sender, messageId, Result.DUPLICATE, acceptedAt, queueId, sequence);
    }
}
