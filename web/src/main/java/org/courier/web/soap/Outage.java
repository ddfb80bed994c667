package org.courier.web.soap;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Tells an outage of the database from a defect: a request that failed because Courier could
 * not reach its database (refused or broken connection, SQL state class 08, or a connection the
 * pool could not create) is an operating condition, worth one log line per request without a
 * stack trace; anything else is unexpected and logged in full.
 */
final class Outage {

    private Outage() {
    }

    /** "database unavailable (root cause)" if the failure is an unreachable database. */
    static Optional<String> ofDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isConnectionFailure(t)) {
                return Optional.of("database unavailable (" + root(failure) + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean isConnectionFailure(Throwable t) {
        if (t instanceof ConnectException || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return true;
        }
        // IronJacamar: "IJ031084: Unable to create connection" (class name only: no JCA API here)
        return t.getClass().getName().equals("jakarta.resource.ResourceException")
                && String.valueOf(t.getMessage()).startsWith("IJ031084");
    }

    private static String root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
