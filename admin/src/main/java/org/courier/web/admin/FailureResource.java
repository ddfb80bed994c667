package org.courier.web.admin;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.courier.batch.resend.ResendRuns;
import org.courier.resend.FailureEntry;
import org.courier.resend.FailureStore;

/**
 * The failure store: {@code GET /api/failures[?receiver=R]} lists FAILED and ERROR deliveries;
 * {@code POST /api/failures/resend-all?receiver=R} sends all of a receiver's again now; the
 * scheduled resend job can be started, watched, stopped and restarted under {@code /run}
 * (also possible in the WildFly console: Runtime → Batch).
 */
@Path("/failures")
@Produces(MediaType.APPLICATION_JSON)
public class FailureResource {

    private final FailureStore store = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureStore.class);

    private final ResendRuns runs = EnterpriseBeans.lookup(EnterpriseBeans.BATCH, ResendRuns.class);

    @GET
    public Map<String, List<FailureEntry>> entries(@QueryParam("receiver") String receiver) {
        return Map.of("entries", store.entries(receiver == null || receiver.isBlank() ? null : receiver));
    }

    @POST
    @Path("/resend-all")
    public JsonObject resendAll(@QueryParam("receiver") String receiver) {
        return Json.createObjectBuilder().add("resent", store.resendAll(Parameters.required("receiver", receiver))).build();
    }

    @POST
    @Path("/run")
    public JsonObject start() {
        return Json.createObjectBuilder().add("executionId", runs.start()).build();
    }

    @GET
    @Path("/run")
    public ResendRuns.RunStatus status(@QueryParam("executionId") Long executionId) {
        return runs.status(Parameters.required("executionId", executionId));
    }

    @POST
    @Path("/run/stop")
    public ResendRuns.RunStatus stop(@QueryParam("executionId") Long executionId) {
        return runs.stop(Parameters.required("executionId", executionId));
    }

    @POST
    @Path("/run/restart")
    public JsonObject restart(@QueryParam("executionId") Long executionId) {
        return Json.createObjectBuilder()
                .add("executionId", runs.restart(Parameters.required("executionId", executionId))).build();
    }
}
