package org.courier.it.support;

/**
 * Courier answered a call with a SOAP fault that carries its {@code courierFault} detail: the
 * request was understood and refused for the reason named by {@link #code()}.
 */
public final class CourierFaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final boolean retryable;
    private final String reason;
    private final String faultCode;
    private final String faultString;
    private final int httpStatus;

    CourierFaultException(String code, boolean retryable, String reason,
                          String faultCode, String faultString, int httpStatus) {
        super(code + " (retryable=" + retryable + "): " + reason);
        this.code = code;
        this.retryable = retryable;
        this.reason = reason;
        this.faultCode = faultCode;
        this.faultString = faultString;
        this.httpStatus = httpStatus;
    }

    /** The contract's fault code, e.g. {@code INVALID_REQUEST} or {@code UNKNOWN_INTERFACE}. */
    public String code() {
        return code;
    }

    /** Whether sending the same request again can help. */
    public boolean retryable() {
        return retryable;
    }

    /** The human readable reason from the fault detail. */
    public String reason() {
        return reason;
    }

    /** The SOAP {@code faultcode} as written, e.g. {@code soap:Client}. */
    public String faultCode() {
        return faultCode;
    }

    /** The SOAP {@code faultstring}. */
    public String faultString() {
        return faultString;
    }

    /** The HTTP status of the answer (500 for a SOAP 1.1 fault). */
    public int httpStatus() {
        return httpStatus;
    }
}
