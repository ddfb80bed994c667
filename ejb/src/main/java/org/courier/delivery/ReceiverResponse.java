package org.courier.delivery;

/**
 * What a receiver made of one POST: success (2xx), or an error text for the operator and
 * whether the receiver refused for good ({@code permanent}: a 4xx other than 408, 425 and 429,
 * which says the request itself is wrong, so sending it again cannot help), and whether the
 * receiver may have processed the request all the same ({@code inDoubt}: the request may have
 * gone out, and no answer came back).
 */
record ReceiverResponse(boolean success, String error, boolean permanent, boolean inDoubt) {

    static ReceiverResponse delivered() {
        return new ReceiverResponse(true, null, false, false);
    }

    /** Certainly not processed: no connection, or an error status from the receiver. */
    static ReceiverResponse failed(String error) {
        return new ReceiverResponse(false, error, false, false);
    }

    static ReceiverResponse refused(String error) {
        return new ReceiverResponse(false, error, true, false);
    }

    /** No answer after the request may have gone out: a timeout, a connection broken mid-exchange. */
    static ReceiverResponse unanswered(String error) {
        return new ReceiverResponse(false, error, false, true);
    }

    static boolean isPermanent(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
    }
}
