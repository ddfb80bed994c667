package org.courier.sequencing;

import jakarta.ejb.ApplicationException;

/**
 * The queue's or a lane's row lock could not be had in time (typically held by a transaction
 * that a crash left in doubt, until transaction recovery resolves it). An expected outcome:
 * the caller's transaction rolls back and the work is tried again later; no stack trace.
 */
@ApplicationException(rollback = true)
public class QueueBusy extends RuntimeException {

    private static final long serialVersionUID = 1L;

    QueueBusy(String queue, RuntimeException cause) {
        super("in-order queue " + queue + " is locked by another transaction: " + cause.getMessage(), cause);
    }
}
