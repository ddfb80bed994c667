package org.courier.receivers;

import java.time.Instant;

/**
 * A receiver's health at one moment, as operators see it.
 *
 * @param receiver  the receiver's name
 * @param state     its state
 * @param since     when it entered that state ({@link Instant#EPOCH}: never seen failing)
 * @param failures  failed attempts in a row (on this node for UP and FAILING)
 * @param lastError the last failure's text, or {@code null}
 * @param changedBy who made the last change: "courier" (an attempt's outcome) or the operator
 * @param waiting   its deliveries that wait for it (FAILED without a due time), as last counted
 */
public record ReceiverCondition(String receiver, HealthState state, Instant since, int failures, String lastError,
                                String changedBy, long waiting) {

    /** Who changes a receiver's health when no operator does: the outcome of a delivery attempt. */
    public static final String COURIER = "courier";
}
