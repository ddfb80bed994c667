package org.courier.routing;

/**
 * How a synchronous call ({@code call} operation, Best Effort) of a route's interface is made:
 * declared by the route's {@code call} attribute.
 */
public enum CallMode {
    /** {@code best-effort} (the default): the receiver is called each time; nothing is stored. */
    BEST_EFFORT,
    /**
     * {@code idempotent}: the first call with a message id calls the receiver and stores its
     * response; every repeat gets the stored response and the receiver is not called again.
     */
    IDEMPOTENT
}
