package org.courier.delivery;

import java.time.Duration;

/**
 * How long a delivery waits whose receiver had no free slot ({@link ReceiverSlots}): its turn,
 * estimated as the deliveries waiting for the receiver divided by the rate at which its slots
 * free up, at least {@link #SHORTEST} and at most {@link #LONGEST}.
 *
 * <p>Why not a fixed doubling up to a few seconds: every deferral is a transaction on a
 * delivery session, so waiting deliveries that come back every few seconds cost the node
 * (waiting / seconds) put-backs a second - with 1 000 deliveries waiting for a receiver that
 * does not answer, more session time than the healthy receivers' deliveries get, which is the
 * starvation this is meant to end. Spaced by their turn, the waiting deliveries of a receiver
 * come back about as fast as its slots free up, however many wait; a receiver that answers
 * quickly frees its slots quickly and its deliveries come back within {@link #SHORTEST}. At most
 * a minute, as between quick retries ({@link RetryLimit}): a receiver that answers again gets its
 * backlog within a minute.
 */
final class Deferral {

    static final Duration SHORTEST = Duration.ofMillis(100);
    static final Duration LONGEST = Duration.ofSeconds(60);

    private Deferral() {
    }

    /**
     * The wait of a delivery deferred while {@code waiting} deliveries (it included) wait for the
     * receiver, whose slots free up at {@code slotsPerSecond}.
     */
    static Duration delay(int waiting, double slotsPerSecond) {
        double seconds = Math.max(waiting, 1) / Math.max(slotsPerSecond, 1e-3);
        long millis = (long) Math.min(seconds * 1000, LONGEST.toMillis());
        return millis < SHORTEST.toMillis() ? SHORTEST : Duration.ofMillis(millis);
    }
}
