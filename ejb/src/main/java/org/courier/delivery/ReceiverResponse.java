package org.courier.delivery;

/**
 * What a receiver made of one POST: success (2xx), or an error text for the operator and
 * whether the receiver refused for good ({@code permanent}: a 4xx other than 408, 425 and 429,
 * which says the request itself is wrong, so sending it again cannot help).
 */
record ReceiverResponse(boolean success, String error, boolean permanent) {

    static ReceiverResponse delivered() {
        return new ReceiverResponse(true, null, false);
    }

    static ReceiverResponse failed(String error) {
        return new ReceiverResponse(false, error, false);
    }

    static ReceiverResponse refused(String error) {
        return new ReceiverResponse(false, error, true);
    }

    static boolean isPermanent(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
    }
}
