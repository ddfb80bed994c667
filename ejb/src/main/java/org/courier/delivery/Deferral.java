package org.courier.delivery;

import java.time.Duration;

/**
 * How long a delivery waits whose receiver had no free slot ({@link ReceiverSlots}): 100 ms,
 * doubling with each deferral in a row, at most the receiver's timeout or {@link #MAX_DELAY},
 * whichever is lower. A slot frees at the latest when an attempt in it times out, so waiting
 * longer than the timeout only delays the delivery; the first waits are short because a receiver
 * that is merely busy frees a slot within milliseconds; and at most 5 s apart, a receiver's
 * backlog costs the node no more than one deferral per waiting delivery every 5 s.
 */
final class Deferral {

    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private Deferral() {
    }

    /** The wait after deferral number {@code deferrals} (1 for the first) of a receiver with this timeout. */
    static Duration delay(int deferrals, Duration receiverTimeout) {
        Duration cap = receiverTimeout.compareTo(MAX_DELAY) < 0 ? receiverTimeout : MAX_DELAY;
        long millis = FIRST_DELAY.toMillis() << Math.min(Math.max(deferrals - 1, 0), 16);
        return millis < cap.toMillis() ? Duration.ofMillis(millis) : cap;
    }
}
