package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.courier.resend.FailureEntry;
import org.courier.resend.FailureStore;

/**
 * Deliveries to non-idempotent receivers that may or may not have been processed:
 * {@code GET /api/in-doubt[?receiver=R]} lists those held IN_DOUBT (settle each with
 * {@code POST /api/delivery/delivered} or {@code /api/delivery/resend}) and counts the
 * requests sent again while an earlier attempt was in doubt (policy RETRY): possible duplicates.
 */
@Path("/in-doubt")
@Produces(MediaType.APPLICATION_JSON)
public class InDoubtResource {

    private final FailureStore store = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureStore.class);

    @GET
    public InDoubtReport report(@QueryParam("receiver") String receiver) {
        String of = receiver == null || receiver.isBlank() ? null : receiver;
        List<FailureEntry> held = store.inDoubt(of);
        return new InDoubtReport(held.size(), store.possibleDuplicates(of), held);
    }

    /** {@code held}: deliveries IN_DOUBT (at most 1000 listed); {@code possibleDuplicates}: requests sent again in doubt. */
    public record InDoubtReport(int held, long possibleDuplicates, List<FailureEntry> entries) {
    }
}
