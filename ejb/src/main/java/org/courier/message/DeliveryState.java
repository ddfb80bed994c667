package org.courier.message;

/** Where one message stands with one receiver. */
public enum DeliveryState {
    /** Not delivered yet; the broker redelivers it until it is, or parks it in the dead-letter queue. */
    PENDING,
    /** The receiver answered 2xx. Final: never sent again. */
    DELIVERED
}
