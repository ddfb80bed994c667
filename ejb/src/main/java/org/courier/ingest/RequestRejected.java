package org.courier.ingest;

import jakarta.ejb.ApplicationException;

/**
 * A request Courier refuses, with the reason in the sender's terms. Thrown before anything
 * is stored, or rolling back whatever the transaction had written.
 */
@ApplicationException(rollback = true)
public class RequestRejected extends RuntimeException {

    private final FaultCode code;

    public RequestRejected(FaultCode code, String reason) {
        super(reason);
        this.code = code;
    }

    public FaultCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }
}
