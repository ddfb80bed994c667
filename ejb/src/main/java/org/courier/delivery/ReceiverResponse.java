package org.courier.delivery;

/** What a receiver made of one POST: success (2xx) or an error text for the operator. */
record ReceiverResponse(boolean success, String error) {

    static ReceiverResponse delivered() {
        return new ReceiverResponse(true, null);
    }

    static ReceiverResponse failed(String error) {
        return new ReceiverResponse(false, error);
    }
}
