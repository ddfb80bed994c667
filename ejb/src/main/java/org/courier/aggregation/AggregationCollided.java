package org.courier.aggregation;

import jakarta.ejb.ApplicationException;

/** Two first members of one correlation created its aggregation row at once: look again. */
@ApplicationException(rollback = true)
public class AggregationCollided extends RuntimeException {

    AggregationCollided(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
