package org.courier.idmapping;

import jakarta.ejb.ApplicationException;

/** Another mapping of the same (source id, context) was committed first: read that one. */
@ApplicationException(rollback = true)
public class MappingCollided extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MappingCollided(Throwable cause) {
        super(cause);
    }
}
