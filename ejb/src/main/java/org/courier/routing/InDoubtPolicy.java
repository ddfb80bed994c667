package org.courier.routing;

/**
 * What Courier does with a delivery to a non-idempotent receiver that is in doubt: an attempt
 * was started but has no outcome (the call timed out after the request went out, the
 * connection broke before the answer, or Courier crashed), so the receiver may or may not
 * have processed it.
 */
public enum InDoubtPolicy {
    /** Send nothing until an operator decides "delivered" or "resend"; an in-order queue waits behind it. */
    HOLD,
    /** Send it again, marked and reported as a possible duplicate. */
    RETRY
}
