package org.courier.call;

import jakarta.ejb.ApplicationException;

/** Another call of the same (sender, message id) holds the record: the caller looks at it. */
@ApplicationException(rollback = true)
class CallClaimTaken extends RuntimeException {

    CallClaimTaken(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
