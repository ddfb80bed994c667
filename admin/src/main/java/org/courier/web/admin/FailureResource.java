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
import java.util.Locale;
import java.util.Map;
import org.courier.access.OperatorScope;
import org.courier.audit.AuditSubject;
import org.courier.batch.resend.ResendRuns;
import org.courier.operations.BulkAction;
import org.courier.resend.ErrorGroup;
import org.courier.resend.FailureEntry;
import org.courier.resend.FailureGroups;
import org.courier.resend.FailureStore;
import org.courier.web.access.Caller;

/**
 * The failure store: {@code GET /api/failures[?receiver=R]} lists FAILED and ERROR deliveries;
 * {@code POST /api/failures/resend-all?receiver=R} sends all of a receiver's again now (at most
 * 1000 at a time); {@code GET /api/failures/groups} groups them by receiver and error; a bulk
 * action on a receiver's entries, or on one group of them, is previewed with {@code GET
 * /api/failures/bulk} and run in chunks with {@code POST /api/failures/bulk/resend} or
 * {@code /bulk/cancel} ({@link FailureGroups}) — all only those of messages within the caller's
 * scope. The scheduled resend job can be started,
 * watched, stopped and restarted under {@code /run} (also possible in the WildFly console:
 * Runtime → Batch); it resends every sender's entries, so only an unrestricted operator may
 * (403 otherwise).
 */
@Path("/failures")
@Produces(MediaType.APPLICATION_JSON)
public class FailureResource {

    private final FailureStore store = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureStore.class);

    private final FailureGroups groups = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureGroups.class);

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

    /** The failure store in groups of the same error, per receiver, the largest first. */
    @GET
    @Path("/groups")
    public Map<String, List<FailureGroups.Group>> groups(@QueryParam("receiver") String receiver) {
        return Map.of("groups", groups.groups(Caller.current().scope(), QueryValues.optional(receiver)));
    }

    /** What a bulk action would cover now: how many of the receiver's entries (of one group when given), and the first 20. */
    @GET
    @Path("/bulk")
    public FailureGroups.Preview preview(@QueryParam("receiver") String receiver, @QueryParam("group") String group) {
        return groups.preview(Caller.current().scope(), Parameters.required("receiver", receiver), groupKey(group));
    }

    /**
     * One chunk of a bulk resend: at most 500 of the receiver's entries (of one group when given) after
     * the delivery id {@code after}, sent again now; {@code next} is where the following chunk starts
     * (null: done). Safe to repeat.
     */
    @POST
    @Path("/bulk/resend")
    public FailureGroups.Step resendInBulk(@QueryParam("receiver") String receiver, @QueryParam("group") String group,
                                           @QueryParam("after") String after) {
        return inBulk(BulkAction.RESEND, receiver, group, after);
    }

    /** One chunk of a bulk cancel, as {@link #resendInBulk}: the entries are never delivered. */
    @POST
    @Path("/bulk/cancel")
    public FailureGroups.Step cancelInBulk(@QueryParam("receiver") String receiver, @QueryParam("group") String group,
                                           @QueryParam("after") String after) {
        return inBulk(BulkAction.CANCEL, receiver, group, after);
    }

    private FailureGroups.Step inBulk(BulkAction action, String receiver, String group, String after) {
        Caller caller = Caller.current();
        OperatorScope scope = caller.scope();
        AuditFilter.concerns(request, AuditSubject.within(scope));
        String name = Parameters.required("receiver", receiver);
        String key = groupKey(group);
        String start = deliveryId(after);
        FailureGroups.Step step = groups.act(scope, name, key, action, start, caller.name());
        AuditFilter.details(request, action.name().toLowerCase(Locale.ROOT) + " receiver=" + name
                + (key == null ? "" : " group=" + key) + (start == null ? "" : " after=" + start) + ": " + step.done()
                + " done, " + step.skipped() + " no longer in the failure store" + (step.next() == null ? ", complete"
                : ", next=" + step.next()));
        return step;
    }

    private static String groupKey(String group) {
        String key = QueryValues.optional(group);
        if (key != null && !ErrorGroup.isKey(key)) {
            throw QueryValues.invalid("query parameter 'group' is not a group of the failure store (12 hexadecimal digits,"
                    + " as GET /api/failures/groups names them): " + QueryValues.abbreviated(key));
        }
        return key;
    }

    static String deliveryId(String after) {
        String id = QueryValues.optional(after);
        if (id != null && (id.length() > 36 || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '-'))) {
            throw QueryValues.invalid("query parameter 'after' is not a delivery id (as 'next' of the chunk before names"
                    + " it): " + QueryValues.abbreviated(id));
        }
        return id;
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
