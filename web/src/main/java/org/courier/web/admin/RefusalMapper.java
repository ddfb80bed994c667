package org.courier.web.admin;

import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.courier.operations.ActionRefused;

/** Answers a refused admin request with its status code and a JSON {@code error} that says why. */
@Provider
public class RefusalMapper implements ExceptionMapper<RuntimeException> {

    @Override
    public Response toResponse(RuntimeException e) {
        Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ActionRefused refused) {
            return error(status(refused.reason()), refused.getMessage());
        }
        if (cause instanceof Parameters.Missing missing) {
            return error(Response.Status.BAD_REQUEST, missing.getMessage());
        }
        if (cause instanceof jakarta.ws.rs.WebApplicationException web) {
            return web.getResponse();
        }
        throw e;
    }

    private static Response.Status status(ActionRefused.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case CONFLICT -> Response.Status.CONFLICT;
            case INVALID -> Response.Status.BAD_REQUEST;
        };
    }

    private static Response error(Response.Status status, String message) {
        String body = Json.createObjectBuilder().add("error", message).build().toString();
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
