package org.courier.web.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.courier.content.Quoted;
import org.courier.message.DeliveryState;
import org.courier.operations.ActionRefused;

/**
 * Optional query values of the admin API's searches, parsed with an error that names the
 * parameter and says what it takes (answered 400 by {@link RefusalMapper}). A blank value is
 * the same as none.
 */
final class QueryValues {

    private QueryValues() {
    }

    /** The value, or {@code null} when absent or blank. */
    static String optional(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** An ISO-8601 instant such as {@code 2026-11-21T10:00:00Z}, or {@code null}. */
    static Instant instant(String name, String value) {
        String text = optional(value);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("query parameter '" + name + "' is not an ISO-8601 instant such as 2026-11-21T10:00:00Z: "
                    + abbreviated(text));
        }
    }

    /** A page number from 0; 0 when absent. */
    static int page(String value) {
        int page = number("page", value, 0);
        if (page < 0) {
            throw invalid("query parameter 'page' must be 0 or more: " + page);
        }
        return page;
    }

    /** A page size from 1 to {@code max}; {@code fallback} when absent. */
    static int size(String value, int fallback, int max) {
        int size = number("size", value, fallback);
        if (size < 1 || size > max) {
            throw invalid("query parameter 'size' must be from 1 to " + max + ": " + size);
        }
        return size;
    }

    /** A delivery state by its name ({@code FAILED}, ...), or {@code null}. */
    static DeliveryState state(String name, String value) {
        String text = optional(value);
        if (text == null) {
            return null;
        }
        return Arrays.stream(DeliveryState.values()).filter(s -> s.name().equals(text)).findFirst()
                .orElseThrow(() -> invalid("query parameter '" + name + "' is not a delivery state (one of "
                        + Arrays.stream(DeliveryState.values()).map(Enum::name).collect(Collectors.joining(", ")) + "): "
                        + abbreviated(text)));
    }

    /** A whole number, or {@code null} when absent or blank; text that is not one is refused naming the parameter. */
    static Integer whole(String name, String value) {
        String text = optional(value);
        return text == null ? null : number(name, text, 0);
    }

    /** A required id such as a batch execution's: a whole number, refused naming the parameter when absent or not one. */
    static long requiredId(String name, String value) {
        String text = optional(value);
        if (text == null) {
            throw new Parameters.Missing(name);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid("query parameter '" + name + "' is not a whole number: " + abbreviated(text));
        }
    }

    /** Refuses {@code from} not before {@code to} when both are given. */
    static void ordered(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw invalid("query parameter 'from' must be before 'to' (from inclusive, to exclusive): " + from + ", " + to);
        }
    }

    static ActionRefused invalid(String error) {
        return new ActionRefused(ActionRefused.Reason.INVALID, error);
    }

    private static int number(String name, String value, int fallback) {
        String text = optional(value);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("query parameter '" + name + "' is not a whole number: " + abbreviated(text));
        }
    }

    /** A value as an error quotes it: at most 60 characters, each one JSON and XML can carry ({@link Quoted}). */
    static String abbreviated(String text) {
        return Quoted.of(text, 60);
    }
}
