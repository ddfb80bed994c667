package org.courier.web.admin;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses an admin request whose query parameters hold a control character (U+0000 to U+001F,
 * U+007F) with 400 and a JSON {@code error} naming the parameter: no sender, id, receiver, state or
 * instant Courier keeps has one, and a NUL reaching the database is an error there (PostgreSQL
 * refuses it in text), which would be answered as a server error.
 */
@Provider
@Priority(Priorities.USER)
public class ControlCharacterFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        refusal(request.getUriInfo().getQueryParameters()).ifPresent(error -> request.abortWith(
                Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Json.createObjectBuilder().add("error", error).build().toString()).build()));
    }

    /** Why these (decoded) query parameters are refused, or empty. */
    static Optional<String> refusal(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c < 0x20 || c == 0x7F) {
                        return Optional.of(String.format("query parameter '%s' holds the control character U+%04X: no"
                                + " value Courier keeps has one", QueryValues.abbreviated(parameter.getKey()), (int) c));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
