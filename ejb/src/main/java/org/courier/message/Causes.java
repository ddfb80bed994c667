package org.courier.message;

/** What a failure comes down to, for one clear log line instead of a stack trace. */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause's type and message (if it has one), e.g. {@code "SQLException: connection refused"}. */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
