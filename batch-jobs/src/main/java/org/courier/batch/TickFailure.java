package org.courier.batch;

/** How a scheduler's tick that could not start its run says why, in one log line: the root cause. */
public final class TickFailure {

    private TickFailure() {
    }

    /** The innermost cause of {@code e}: its class and message. */
    public static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
