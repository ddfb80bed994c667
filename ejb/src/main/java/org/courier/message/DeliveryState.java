package org.courier.message;

/** Where one message stands with one receiver. */
public enum DeliveryState {
    /** On its way: its JMS message is queued, retried by the broker until it succeeds or attempts run out. */
    PENDING,
    /** The receiver answered 2xx. Final: never sent again. */
    DELIVERED,
    /** Exactly Once In Order: waits, without a JMS message, behind an earlier message of its queue. */
    HELD,
    /** Its quick retries failed: in the failure store, resent on a schedule. */
    FAILED,
    /** Scheduled resends ran out, or the receiver refused it for good: waits for an operator. */
    ERROR,
    /**
     * A non-idempotent receiver may or may not have processed it (an attempt has no outcome)
     * and its policy is HOLD: nothing is sent until the receiver's status URL or an operator
     * settles it. An in-order queue waits behind it.
     */
    IN_DOUBT,
    /** Cancelled by an operator. Final: never sent. */
    CANCELLED;

    /** FAILED or ERROR: in the failure store, waiting for a scheduled resend or an operator. */
    public boolean isInFailureStore() {
        return this == FAILED || this == ERROR;
    }

    /**
     * FAILED, ERROR or IN_DOUBT: no attempt is under way, and an operator may resend it, cancel
     * it or declare it delivered.
     */
    public boolean isStopped() {
        return isInFailureStore() || this == IN_DOUBT;
    }

    /** Delivered or cancelled: nothing more will happen to it. */
    public boolean isFinal() {
        return this == DELIVERED || this == CANCELLED;
    }
}
