package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.courier.audit.AuditPage;
import org.courier.audit.AuditTrail;
import org.courier.web.access.Caller;

/**
 * The audit trail of admin actions ({@link AuditFilter} writes it):
 * {@code GET /api/audit?actor=&from=&to=&page=0&size=100}, newest first, each filter optional
 * ({@code from} inclusive, {@code to} exclusive, ISO-8601 instants; {@code size} at most
 * {@value AuditTrail#MAX_PAGE_SIZE}). Answer: {@code {page, size, total, entries: [{at, actor,
 * action, parameters, status, sender, interface}]}} — only the entries within the caller's scope
 * ({@link AuditTrail#find}).
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int DEFAULT_PAGE_SIZE = 100;

    private final AuditTrail trail = EnterpriseBeans.lookup(EnterpriseBeans.CORE, AuditTrail.class);

    @GET
    public AuditPage find(@QueryParam("actor") String actor, @QueryParam("from") String from, @QueryParam("to") String to,
                          @QueryParam("page") String page, @QueryParam("size") String size) {
        Instant since = QueryValues.instant("from", from);
        Instant until = QueryValues.instant("to", to);
        QueryValues.ordered(since, until);
        return trail.find(Caller.current().scope(), QueryValues.optional(actor), since, until, QueryValues.page(page),
                QueryValues.size(size, DEFAULT_PAGE_SIZE, AuditTrail.MAX_PAGE_SIZE));
    }
}
