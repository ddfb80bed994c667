package org.courier.web.admin;

/** Query parameters of admin requests. */
final class Parameters {

    private Parameters() {
    }

    /** The value of a required parameter; a missing one answers 400. */
    static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new Missing(name);
        }
        return value;
    }

    /** A required query parameter of an admin request is missing. */
    static final class Missing extends RuntimeException {

        Missing(String name) {
            super("query parameter '" + name + "' is required");
        }
    }
}
