package org.courier.resend;

import java.time.Instant;
import org.courier.message.Delivery;

/** An entry of the failure store as an operator sees it. */
public record FailureEntry(String sender, String messageId, String receiver, String state, int attempts, int resends,
                           String lastError, Instant lastAttemptAt, Instant nextAttemptAt, String queueId, Long sequence) {

    static FailureEntry of(Delivery d) {
        return new FailureEntry(d.message().sender(), d.message().messageId(), d.receiver(), d.state().name(),
                d.attempts(), d.resends(), d.lastError(), d.lastAttemptAt(), d.nextResendAt(), d.message().queueId(),
                d.sequenceNo());
    }
}
