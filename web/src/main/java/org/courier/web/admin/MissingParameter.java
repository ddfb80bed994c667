package org.courier.web.admin;

/** A required query parameter of an admin request is missing. */
class MissingParameter extends RuntimeException {

    MissingParameter(String name) {
        super("query parameter '" + name + "' is required");
    }
}
