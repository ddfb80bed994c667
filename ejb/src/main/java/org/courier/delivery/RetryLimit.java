package org.courier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * How a failing delivery is retried. Quick retries: the broker redelivers it (1 s, doubling to
 * 60 s) until {@value #PROPERTY} attempts (default {@value #DEFAULT}) have failed, counted from
 * the attempts recorded with the delivery (a broker redelivery that found nothing to do does
 * not count; an operator's resend starts afresh). Then the failure store's schedule,
 * {@link ResendPolicy}, read once from the system properties.
 */
@ApplicationScoped
public class RetryLimit {

    static final String PROPERTY = "courier.delivery.max-attempts";
    static final int DEFAULT = 10;
    static final Duration MAX_DELAY = Duration.ofSeconds(60);

    private final int maxAttempts = Integer.getInteger(PROPERTY, DEFAULT);
    private final ResendPolicy resendPolicy = ResendPolicy.fromSystemProperties();

    boolean isLast(int attempt) {
        return attempt >= maxAttempts;
    }

    /**
     * How long to wait after failed attempt number {@code attempt} before the next one: 1 s,
     * doubling per attempt, at most 60 s (attempts at about 0, 1, 3, 7, 15, 31, 91 s ...).
     */
    static Duration delayAfter(int attempt) {
        long seconds = 1L << Math.min(Math.max(attempt - 1, 0), 6);
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds()));
    }

    public ResendPolicy resendPolicy() {
        return resendPolicy;
    }
}
