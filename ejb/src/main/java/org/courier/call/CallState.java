package org.courier.call;

/** Where an idempotent call stands. */
public enum CallState {
    /** Claimed: the receiver is being called; a repeat waits for the outcome. */
    IN_PROGRESS,
    /** The receiver answered 2xx; its response is stored and replayed to every repeat. */
    COMPLETED,
    /** The call had no outcome (no answer, a crash): the receiver may or may not have processed it. */
    IN_DOUBT
}
