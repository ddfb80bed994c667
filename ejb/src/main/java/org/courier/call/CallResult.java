package org.courier.call;

import java.time.Instant;

/**
 * The receiver's response to a synchronous call.
 *
 * @param messageId   the call's message id, or {@code null} for a Best Effort call without one
 * @param replay      whether this is a stored response given again (an idempotent call's repeat)
 * @param respondedAt when the receiver gave the response
 */
public record CallResult(String sender, String messageId, String receiver, int status, String contentType, String body,
                         boolean replay, Instant respondedAt) {
}
