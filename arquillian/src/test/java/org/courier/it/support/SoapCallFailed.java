package org.courier.it.support;

/**
 * A SOAP call got an answer that is neither the expected response nor a Courier fault: a non-200
 * status without a {@code courierFault} detail (e.g. the fault for a malformed envelope), or a
 * 200 whose body is not the expected response element.
 */
public final class SoapCallFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private static final int MAX_BODY_IN_MESSAGE = 2000;

    private final int httpStatus;
    private final String body;

    SoapCallFailed(int httpStatus, String body, String problem) {
        super(problem + " (HTTP " + httpStatus + "): " + abbreviate(body));
        this.httpStatus = httpStatus;
        this.body = body;
    }

    /** The HTTP status of the answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The body of the answer as received. */
    public String body() {
        return body;
    }

    private static String abbreviate(String body) {
        if (body == null || body.length() <= MAX_BODY_IN_MESSAGE) {
            return body;
        }
        return body.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
