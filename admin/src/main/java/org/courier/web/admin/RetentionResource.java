package org.courier.web.admin;

import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.courier.retention.PurgeRun;
import org.courier.retention.PurgeRuns;
import org.courier.web.access.Caller;

/**
 * The retention purge: {@code POST /api/retention/purge[?cutoff=2026-11-21T10:00:00Z]} starts a
 * run now (as of {@code cutoff} instead of now, if given; 409 while one runs on this node);
 * {@code GET /api/retention/purge?executionId=N} follows it: status and counts (404 for a run
 * this node does not know). The purge reaches every sender's messages: only an unrestricted operator
 * may start or follow it (403 otherwise).
 */
@Path("/retention/purge")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    private static final String PURGE = "the retention purge (courier-purge)";

    private final PurgeRuns runs = EnterpriseBeans.lookup(EnterpriseBeans.BATCH, "BatchPurgeRuns", PurgeRuns.class);

    @POST
    public PurgeRun start(@QueryParam("cutoff") String cutoff) {
        Caller.current().scope().requireUnrestricted(PURGE);
        Instant asOf = cutoff == null || cutoff.isBlank() ? Instant.now() : instant(cutoff);
        return runs.startUnlessRunning(asOf).orElseThrow(() -> refused(Response.Status.CONFLICT,
                "a purge run is still running on this node: start another when it has finished"));
    }

    @GET
    public PurgeRun run(@QueryParam("executionId") String executionId) {
        Caller.current().scope().requireUnrestricted(PURGE);
        long id = QueryValues.requiredId("executionId", executionId);
        return runs.find(id).orElseThrow(() -> refused(Response.Status.NOT_FOUND, "no purge run " + id
                + " on this node (runs are known until the server restarts)"));
    }

    private static Instant instant(String cutoff) {
        try {
            return Instant.parse(cutoff.strip());
        } catch (DateTimeParseException e) {
            throw refused(Response.Status.BAD_REQUEST, "query parameter 'cutoff' is not an ISO-8601 instant such as"
                    + " 2026-11-21T10:00:00Z");
        }
    }

    /** A refusal in the admin API's shape: the status and a JSON {@code error} (passed on by {@link RefusalMapper}). */
    private static WebApplicationException refused(Response.Status status, String error) {
        String body = Json.createObjectBuilder().add("error", error).build().toString();
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build());
    }
}
