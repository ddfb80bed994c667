package org.courier.message;

/**
 * How an attempt to a non-idempotent receiver ended. An attempt without an outcome is in
 * doubt: it was started, and nobody knows whether the receiver processed it.
 */
public enum AttemptOutcome {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Certainly not processed: no connection, or the receiver answered with an error status. */
    FAILED,
    /** Was in doubt; the receiver's status URL says it got the message. */
    CONFIRMED_RECEIVED,
    /** Was in doubt; the receiver's status URL says it did not get the message. */
    CONFIRMED_NOT_RECEIVED,
    /** Was in doubt and sent again under policy RETRY: the next attempt is a possible duplicate. */
    RETRIED_IN_DOUBT,
    /** Was in doubt; an operator declared the message delivered. */
    OPERATOR_DELIVERED,
    /** Was in doubt; an operator had it sent again. */
    OPERATOR_RESENT,
    /** Was in doubt; an operator cancelled the delivery. */
    OPERATOR_CANCELLED
}
