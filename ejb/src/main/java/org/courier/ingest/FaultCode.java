package org.courier.ingest;

/** Why Courier refused a request, and whether sending the same request again can help. */
public enum FaultCode {
    INVALID_REQUEST(false),
    UNKNOWN_INTERFACE(false),
    PAYLOAD_TOO_LARGE(false),
    MESSAGE_ID_CONFLICT(false),
    NOT_SUPPORTED(false),
    UNKNOWN_MESSAGE(false),
    MESSAGE_ID_EXPIRED(false),
    TEMPORARILY_UNAVAILABLE(true),
    /** A call's receiver answered with a 4xx status that says the request is wrong. */
    RECEIVER_REJECTED(false),
    /** A call's receiver answered with an error status a retry may get past (5xx, 408, 425, 429). */
    RECEIVER_ERROR(true),
    /** A call's receiver could not be reached: it got nothing. */
    RECEIVER_UNAVAILABLE(true),
    /** A call's receiver did not answer in time: it may have processed the request. */
    RECEIVER_TIMEOUT(true),
    /** An idempotent call has no outcome and its receiver cannot take a repeat: an operator decides. */
    CALL_IN_DOUBT(false),
    /** The authenticated user is not bound to the sender it sends as, or asks about. */
    NOT_AUTHORIZED(false);

    private final boolean retryable;

    FaultCode(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
