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
    TEMPORARILY_UNAVAILABLE(true);

    private final boolean retryable;

    FaultCode(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
