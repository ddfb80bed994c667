package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.courier.access.OperatorScope;
import org.courier.web.access.Caller;

/**
 * Who is asking: {@code GET /api/me} answers the signed-in operator's name, roles and the part of
 * Courier's data it is bound to ({@code senders}, {@code interfaces}: {@code ["*"]} for every one),
 * so that a page can show it and offer only the actions the operator may take.
 */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    /** The roles of the admin API: read, act, view payloads. */
    static final List<String> ROLES = List.of("monitor", "admin", "payload");

    @Context
    private SecurityContext security;

    /** The caller as the admin API sees it. */
    public record CallerView(String user, List<String> roles, List<String> senders, List<String> interfaces) {
    }

    @GET
    public CallerView me() {
        Caller caller = Caller.current();
        OperatorScope scope = caller.scope();
        return new CallerView(caller.name(), ROLES.stream().filter(security::isUserInRole).toList(),
                listed(scope.senders()), listed(scope.interfaces()));
    }

    private static List<String> listed(Set<String> values) {
        return values == null ? List.of(Caller.ANY) : Stream.of(values.toArray(String[]::new)).sorted().toList();
    }
}
