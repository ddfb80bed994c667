package org.courier.web.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.courier.access.OperatorScope;
import org.courier.audit.AuditSubject;
import org.courier.operations.BulkAction;
import org.courier.resend.FailureEntry;
import org.courier.resend.FailureGroups;
import org.courier.resend.FailureStore;
import org.courier.web.access.Caller;

/**
 * Deliveries to non-idempotent receivers that may or may not have been processed:
 * {@code GET /api/in-doubt[?receiver=R]} lists those held IN_DOUBT (settle each with
 * {@code POST /api/delivery/delivered} or {@code /api/delivery/resend}) and counts the
 * requests sent again while an earlier attempt was in doubt (policy RETRY): possible duplicates.
 * All of a receiver's are settled in bulk, thousands as well as a few: {@code GET
 * /api/in-doubt/bulk?receiver=R} previews, {@code POST /api/in-doubt/bulk/delivered} or
 * {@code /bulk/resend} runs one chunk ({@link FailureGroups}: at most 500, one transaction, audited;
 * {@code next} where the following starts). The list, the counts and the actions cover only
 * messages within the caller's scope.
 */
@Path("/in-doubt")
@Produces(MediaType.APPLICATION_JSON)
public class InDoubtResource {

    private final FailureStore store = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureStore.class);

    private final FailureGroups groups = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureGroups.class);

    @Context
    private HttpServletRequest request;

    @GET
    public InDoubtReport report(@QueryParam("receiver") String receiver) {
        String of = QueryValues.optional(receiver);
        OperatorScope scope = Caller.current().scope();
        return new InDoubtReport(store.countInDoubt(scope, of), store.possibleDuplicates(scope, of), store.inDoubt(scope, of));
    }

    /** What a bulk settlement of the receiver's in-doubt deliveries would cover now: how many, and the first 20. */
    @GET
    @Path("/bulk")
    public FailureGroups.Preview preview(@QueryParam("receiver") String receiver) {
        return groups.previewInDoubt(Caller.current().scope(), Parameters.required("receiver", receiver));
    }

    /**
     * One chunk of declaring the receiver's in-doubt deliveries delivered (the receiver has them:
     * none is sent again; an in-order queue goes on): at most 500 after the delivery id {@code
     * after}; {@code next} is where the following chunk starts (null: done). Safe to repeat.
     */
    @POST
    @Path("/bulk/delivered")
    public FailureGroups.Step declareDeliveredInBulk(@QueryParam("receiver") String receiver,
                                                     @QueryParam("after") String after) {
        return inBulk(BulkAction.DECLARE_DELIVERED, receiver, after);
    }

    /** One chunk of resending the receiver's in-doubt deliveries (it has none of them), as {@link #declareDeliveredInBulk}. */
    @POST
    @Path("/bulk/resend")
    public FailureGroups.Step resendInBulk(@QueryParam("receiver") String receiver, @QueryParam("after") String after) {
        return inBulk(BulkAction.RESEND, receiver, after);
    }

    private FailureGroups.Step inBulk(BulkAction action, String receiver, String after) {
        Caller caller = Caller.current();
        OperatorScope scope = caller.scope();
        AuditFilter.concerns(request, AuditSubject.within(scope));
        String name = Parameters.required("receiver", receiver);
        String start = FailureResource.deliveryId(after);
        FailureGroups.Step step = groups.actInDoubt(scope, name, action, start, caller.name());
        AuditFilter.details(request, (action == BulkAction.RESEND ? "resend" : "declare delivered") + " in doubt receiver="
                + name + (start == null ? "" : " after=" + start) + ": " + step.done() + " done, " + step.skipped()
                + " no longer in doubt" + (step.next() == null ? ", complete" : ", next=" + step.next()));
        return step;
    }

    /**
     * {@code held}: how many deliveries are IN_DOUBT; {@code possibleDuplicates}: requests sent again
     * in doubt; {@code entries}: the deliveries IN_DOUBT, at most 1000 listed.
     */
    public record InDoubtReport(long held, long possibleDuplicates, List<FailureEntry> entries) {
    }
}
