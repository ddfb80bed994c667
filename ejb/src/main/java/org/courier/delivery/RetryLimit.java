package org.courier.delivery;

import jakarta.enterprise.context.ApplicationScoped;

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

    private final int maxAttempts = Integer.getInteger(PROPERTY, DEFAULT);
    private final ResendPolicy resendPolicy = ResendPolicy.fromSystemProperties();

    boolean isLast(int attempt) {
        return attempt >= maxAttempts;
    }

    public ResendPolicy resendPolicy() {
        return resendPolicy;
    }
}
