package org.courier.web.admin;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.courier.access.OperatorScope;
import org.courier.audit.AuditSubject;
import org.courier.batch.resend.ResendRuns;
import org.courier.resend.FailureEntry;
import org.courier.resend.FailureStore;
import org.courier.web.access.Caller;

/**
 * The failure store: {@code GET /api/failures[?receiver=R]} lists FAILED and ERROR deliveries;
 * {@code POST /api/failures/resend-all?receiver=R} sends all of a receiver's again now — both
 * only those of messages within the caller's scope. The scheduled resend job can be started,
 * watched, stopped and restarted under {@code /run} (also possible in the WildFly console:
 * Runtime → Batch); it resends every sender's entries, so only an unrestricted operator may
 * (403 otherwise).
 */
@Path("/failures")
@Produces(MediaType.APPLICATION_JSON)
public class FailureResource {

    private final FailureStore store = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureStore.class);

    private final ResendRuns runs = EnterpriseBeans.lookup(EnterpriseBeans.BATCH, ResendRuns.class);

    @Context
    private HttpServletRequest request;

    @GET
    public Map<String, List<FailureEntry>> entries(@QueryParam("receiver") String receiver) {
        return Map.of("entries", store.entries(Caller.current().scope(), QueryValues.optional(receiver)));
    }

    @POST
    @Path("/resend-all")
    public JsonObject resendAll(@QueryParam("receiver") String receiver) {
        OperatorScope scope = Caller.current().scope();
        AuditFilter.concerns(request, AuditSubject.within(scope));
        return Json.createObjectBuilder().add("resent", store.resendAll(scope, Parameters.required("receiver", receiver)))
                .build();
    }

    @POST
    @Path("/run")
    public JsonObject start() {
        jobForEverybody();
        return Json.createObjectBuilder().add("executionId", runs.start()).build();
    }

    @GET
    @Path("/run")
    public ResendRuns.RunStatus status(@QueryParam("executionId") String executionId) {
        jobForEverybody();
        return runs.status(QueryValues.requiredId("executionId", executionId));
    }

    @POST
    @Path("/run/stop")
    public ResendRuns.RunStatus stop(@QueryParam("executionId") String executionId) {
        jobForEverybody();
        return runs.stop(QueryValues.requiredId("executionId", executionId));
    }

    @POST
    @Path("/run/restart")
    public JsonObject restart(@QueryParam("executionId") String executionId) {
        jobForEverybody();
        return Json.createObjectBuilder()
                .add("executionId", runs.restart(QueryValues.requiredId("executionId", executionId))).build();
    }

    /** The resend job takes every sender's due entries: refused (403) unless the caller's scope is unrestricted. */
    private static void jobForEverybody() {
        Caller.current().scope().requireUnrestricted("the resend job (courier-resend)");
    }
}
