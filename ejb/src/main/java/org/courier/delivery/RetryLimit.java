package org.courier.delivery;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many times a delivery is POSTed before Courier gives up on it and marks it FAILED for
 * an operator: system property {@value #PROPERTY}, default {@value #DEFAULT}. Counted from the
 * attempts recorded with the delivery (a broker redelivery that found nothing to do does not
 * count); a resend by an operator starts a fresh count.
 */
@ApplicationScoped
public class RetryLimit {

    static final String PROPERTY = "courier.delivery.max-attempts";
    static final int DEFAULT = 10;

    private final int maxAttempts = Integer.getInteger(PROPERTY, DEFAULT);

    boolean isLast(int attempt) {
        return attempt >= maxAttempts;
    }
}
