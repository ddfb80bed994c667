package org.courier.operations;

import jakarta.ejb.ApplicationException;

/** An operator action that cannot be done, and why: nothing was changed. */
@ApplicationException(rollback = true)
public class ActionRefused extends RuntimeException {

    public enum Reason { NOT_FOUND, CONFLICT, INVALID }

    private final Reason reason;

    public ActionRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
