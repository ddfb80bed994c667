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

    /** The longest {@link #reason} returned; the rest is cut. */
    public static final int MAX_REASON = 300;

    /**
     * What the innermost cause that says anything says, in one line of at most {@value #MAX_REASON}
     * characters: a broker's or a server's own reason, not what the layers above wrap it in.
     */
    public static String reason(Throwable t) {
        Throwable reason = t;
        Throwable next = t.getCause();
        for (int depth = 0; next != null && next != reason && depth < 20; depth++, next = next.getCause()) {
            if (next.getMessage() != null) {
                reason = next;
            }
        }
        String text = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
    }
}
