package org.courier.web.access;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Applies the {@link CrossSiteRule} to every admin API request before anything else reads it: a
 * state-changing request that may come from another site's page is answered
 * {@code 403 {"error": ...}} and does nothing. The refusal is one WARNING line (who, what, why:
 * somebody's browser was made to act) and, like every admin request but a read, an entry of the
 * audit trail.
 * Origins besides the request's own: {@value CrossSiteRule#ORIGINS}.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class CrossSiteFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(CrossSiteFilter.class.getName());

    private final CrossSiteRule rule = CrossSiteRule.configured();

    @Override
    public void filter(ContainerRequestContext request) {
        CrossSiteRule.Request seen = new CrossSiteRule.Request(request.getMethod(), request.getHeaderString("Host"),
                request.getSecurityContext() != null && request.getSecurityContext().isSecure(),
                request.getHeaderString("Origin"), request.getHeaderString("Sec-Fetch-Site"),
                request.getHeaderString(CrossSiteRule.HEADER));
        Optional<String> refusal = rule.refusal(seen);
        if (refusal.isEmpty()) {
            return;
        }
        String user = Optional.ofNullable(request.getSecurityContext()).map(context -> context.getUserPrincipal())
                .map(Principal::getName).orElse("anonymous");
        LOG.warning(() -> "Refused " + request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath()
                + " of user " + user + ": " + refusal.get());
        request.abortWith(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("error", "refused as a possible cross-site request: " + refusal.get())
                        .build().toString())
                .build());
    }
}
