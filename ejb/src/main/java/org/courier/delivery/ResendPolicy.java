package org.courier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is resent next: {@code backoff} after the quick retries gave up,
 * then doubling per failed resend up to {@code maxBackoff}, each delay stretched by a random
 * factor in [1 − jitter, 1 + jitter] so that many entries that failed together do not all
 * return together; after {@code maxResends} failed resends, none (an operator decides).
 *
 * <p>System properties, ISO-8601 durations: {@value #BACKOFF} (default PT1M),
 * {@value #MAX_BACKOFF} (PT1H), {@value #MAX_RESENDS} (default 10), {@value #JITTER} (0.2).
 */
public final class ResendPolicy {

    static final String BACKOFF = "courier.resend.backoff";
    static final String MAX_BACKOFF = "courier.resend.max-backoff";
    static final String MAX_RESENDS = "courier.resend.max-resends";
    static final String JITTER = "courier.resend.jitter";

    private final Duration backoff;
    private final Duration maxBackoff;
    private final int maxResends;
    private final double jitter;
    private final DoubleSupplier random;

    public ResendPolicy(Duration backoff, Duration maxBackoff, int maxResends, double jitter, DoubleSupplier random) {
        if (backoff.isNegative() || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("Resend backoff " + backoff + " must be positive and at most " + maxBackoff);
        }
        if (maxResends < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("max resends " + maxResends + " must be >= 0 and jitter " + jitter + " in [0, 1)");
        }
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.maxResends = maxResends;
        this.jitter = jitter;
        this.random = random;
    }

    /** The policy the system properties configure. */
    public static ResendPolicy fromSystemProperties() {
        return new ResendPolicy(duration(BACKOFF, "PT1M"), duration(MAX_BACKOFF, "PT1H"),
                Integer.parseInt(System.getProperty(MAX_RESENDS, "10")),
                Double.parseDouble(System.getProperty(JITTER, "0.2")), Math::random);
    }

    /**
     * The next due time of a delivery that has had {@code resends} resend rounds and has just
     * failed at {@code now}; empty when resends have run out.
     */
    public Optional<Instant> nextResend(int resends, Instant now) {
        if (resends >= maxResends) {
            return Optional.empty();
        }
        return Optional.of(now.plus(delay(resends)));
    }

    Duration delay(int resends) {
        Duration plain = backoff.multipliedBy(1L << Math.min(resends, 30));
        Duration capped = plain.compareTo(maxBackoff) > 0 || plain.isNegative() ? maxBackoff : plain;
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.round(capped.toMillis() * factor));
    }

    private static Duration duration(String property, String fallback) {
        String value = System.getProperty(property, fallback);
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("System property " + property + "='" + value
                    + "' is not an ISO-8601 duration such as PT1M", e);
        }
    }
}
