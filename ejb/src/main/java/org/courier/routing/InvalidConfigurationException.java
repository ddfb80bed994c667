package org.courier.routing;

import jakarta.ejb.ApplicationException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The routing configuration cannot be used: the file is missing or unreadable, is not
 * well-formed XML, or breaks one or more rules of the format.
 *
 * <p>The message is a summary line naming the file followed by every error, one per line;
 * {@link #errors()} holds the same errors. Each error names the file and, where it applies,
 * the line, the element and the offending value, e.g.
 * {@code courier.xml:12: receiver "archive": url "ftp://x" is not an absolute http(s) URL}.
 *
 * <p>An application exception: a reload or a check refused reaches its caller as it is, not
 * wrapped by the EJB container (nothing was changed, there is nothing to roll back).
 */
@ApplicationException
public class InvalidConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    InvalidConfigurationException(String summary, List<String> errors) {
        this(summary, errors, null);
    }

    InvalidConfigurationException(String summary, List<String> errors, Throwable cause) {
        super(summary + ":" + errors.stream().map(error -> "\n  " + error).collect(Collectors.joining()), cause);
        this.errors = List.copyOf(errors);
    }

    /** Every error found, in file order, each formatted as {@code file:line: message}. */
    public List<String> errors() {
        return errors;
    }
}
