package org.courier.sequencing;

import jakarta.ejb.ApplicationException;

/** Another transaction created the same queue or lane at the same moment: prepare again. */
@ApplicationException(rollback = true)
public class QueueCreationCollided extends RuntimeException {

    QueueCreationCollided(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
