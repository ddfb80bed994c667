package org.courier.web.access;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.courier.access.OperatorScope;

/**
 * Refuses every admin API request of an operator bound to nothing — no sender (the realm attribute
 * {@value Caller#SENDERS} is missing or empty) or no interface — with {@code 403 {"error": ...}}
 * saying so, instead of answering empty lists that look like an idle Courier. Only
 * {@code GET /api/me} is answered, so that the monitor can show who is signed in and why nothing
 * is there. The refusal of an action is audited like any other.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class ScopeFilter implements ContainerRequestFilter {

    /** The one path (below {@code /api}) an operator bound to nothing may read. */
    static final String WHO_AM_I = "me";

    @Override
    public void filter(ContainerRequestContext request) {
        if (WHO_AM_I.equals(strip(request.getUriInfo().getPath()))) {
            return;
        }
        Caller caller = Caller.current();
        refusal(caller).ifPresent(reason -> request.abortWith(Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("error", reason).build().toString())
                .build()));
    }

    /** Why this caller may not use the admin API at all, if it may not. */
    static Optional<String> refusal(Caller caller) {
        OperatorScope scope = caller.scope();
        if (scope.senders() != null && scope.senders().isEmpty()) {
            return Optional.of("user '" + caller.name() + "' is bound to no sender (realm attribute '" + Caller.SENDERS
                    + "'): it may see nothing; ask an administrator to bind it to senders (or '*' for all)");
        }
        if (scope.interfaces() != null && scope.interfaces().isEmpty()) {
            return Optional.of("user '" + caller.name() + "' is bound to no interface (realm attribute '"
                    + Caller.INTERFACES + "' is empty): it may see nothing; ask an administrator to bind it to"
                    + " interfaces, or to remove the attribute");
        }
        return Optional.empty();
    }

    private static String strip(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
