package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.courier.access.OperatorScope;
import org.courier.resend.FailureEntry;
import org.courier.resend.FailureStore;
import org.courier.web.access.Caller;

/**
 * Deliveries to non-idempotent receivers that may or may not have been processed:
 * {@code GET /api/in-doubt[?receiver=R]} lists those held IN_DOUBT (settle each with
 * {@code POST /api/delivery/delivered} or {@code /api/delivery/resend}) and counts the
 * requests sent again while an earlier attempt was in doubt (policy RETRY): possible duplicates.
 * The list and both counts cover only messages within the caller's scope.
 */
@Path("/in-doubt")
@Produces(MediaType.APPLICATION_JSON)
public class InDoubtResource {

    private final FailureStore store = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureStore.class);

    @GET
    public InDoubtReport report(@QueryParam("receiver") String receiver) {
        String of = QueryValues.optional(receiver);
        OperatorScope scope = Caller.current().scope();
        return new InDoubtReport(store.countInDoubt(scope, of), store.possibleDuplicates(scope, of), store.inDoubt(scope, of));
    }

    /**
     * {@code held}: how many deliveries are IN_DOUBT; {@code possibleDuplicates}: requests sent again
     * in doubt; {@code entries}: the deliveries IN_DOUBT, at most 1000 listed.
     */
    public record InDoubtReport(long held, long possibleDuplicates, List<FailureEntry> entries) {
    }
}
