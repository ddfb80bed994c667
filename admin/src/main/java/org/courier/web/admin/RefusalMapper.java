package org.courier.web.admin;

import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.courier.access.ScopeRefused;
import org.courier.operations.ActionRefused;

/**
 * Answers a refused admin request with its status code and a JSON {@code error} that says why
 * (403 for a request beyond the caller's scope, {@link ScopeRefused}).
 * Anything unexpected is logged once with its trace and answered 500 with a JSON error, so that
 * the audit ({@link AuditFilter}) records the failed action too.
 */
@Provider
public class RefusalMapper implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = Logger.getLogger(RefusalMapper.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
        Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ActionRefused refused) {
            return error(status(refused.reason()), refused.getMessage());
        }
        if (cause instanceof ScopeRefused beyond) {
            return error(Response.Status.FORBIDDEN, beyond.getMessage());
        }
        if (cause instanceof Parameters.Missing missing) {
            return error(Response.Status.BAD_REQUEST, missing.getMessage());
        }
        if (cause instanceof jakarta.ws.rs.WebApplicationException web) {
            return web.getResponse();
        }
        LOG.log(Level.SEVERE, "Admin request failed unexpectedly", e);
        return error(Response.Status.INTERNAL_SERVER_ERROR, "Courier could not carry out the request ("
                + cause.getClass().getSimpleName() + "); the server log has the details");
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
