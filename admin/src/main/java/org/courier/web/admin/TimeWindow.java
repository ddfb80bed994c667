package org.courier.web.admin;

import java.time.Duration;
import java.time.Instant;

/**
 * The window of acceptance a reconciliation covers, [from, to): both given, or completed by
 * default — {@code to} is now, {@code from} is {@link #DEFAULT_LENGTH} before {@code to}.
 */
record TimeWindow(Instant from, Instant to) {

    /** How long a window is when {@code from} is not given: the last 24 hours. */
    static final Duration DEFAULT_LENGTH = Duration.ofHours(24);

    /** The window of these query values (each optional), as of {@code now}. */
    static TimeWindow of(String from, String to, Instant now) {
        Instant end = QueryValues.instant("to", to);
        Instant start = QueryValues.instant("from", from);
        Instant until = end != null ? end : now;
        Instant since = start != null ? start : until.minus(DEFAULT_LENGTH);
        QueryValues.ordered(since, until);
        return new TimeWindow(since, until);
    }
}
