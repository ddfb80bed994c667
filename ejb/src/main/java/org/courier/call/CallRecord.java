package org.courier.call;

import java.time.Instant;

/** What is stored about an idempotent call, as of one read. */
public record CallRecord(String id, String sender, String messageId, String interfaceName, String receiver,
                         String requestHash, CallState state, int attempt, Instant startedAt, Instant completedAt,
                         int responseStatus, String responseType, String responseBody, String lastError, int replays,
                         Instant expiresAt) {
}
