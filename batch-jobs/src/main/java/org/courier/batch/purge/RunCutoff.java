package org.courier.batch.purge;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The instant a run purges as of: the job parameter {@code cutoff} (ISO-8601), which the
 * timer and the admin API always set, or now for a run started without it (e.g. from the
 * WildFly CLI).
 */
final class RunCutoff {

    private RunCutoff() {
    }

    static Instant of(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return Instant.now();
        }
        try {
            return Instant.parse(parameter.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Job parameter cutoff='" + parameter
                    + "' is not an ISO-8601 instant such as 2026-11-21T10:00:00Z", e);
        }
    }
}
