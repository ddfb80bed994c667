package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.courier.reconciliation.Reconciliation;
import org.courier.reconciliation.ReconciliationReport;
import org.courier.web.access.Caller;

/**
 * {@code GET /api/reconciliation?sender=S[&from=..][&to=..]}: do the messages sender S had
 * accepted in [from, to) add up? {@code sender} is required; {@code to} defaults to now and
 * {@code from} to 24 hours before {@code to} (ISO-8601 instants; from must be before to).
 *
 * <p>The rule: every message accepted in the window has deliveries, or was handed to an
 * aggregator (its route aggregates), or is listed as unbalanced ("accepted without any
 * delivery"). Per receiver, counted in deliveries (one per message part):
 * {@code expected = delivered + pending + failed + cancelled + inDoubt}, where PENDING and HELD
 * count as pending, FAILED and ERROR as failed; {@code expected} is the parts Courier took on for
 * the receiver plus the messages whose route (as configured now) names it but that have no
 * delivery to it. Listed as unbalanced, with the reason: a delivery in a state this version
 * does not know, a part recorded twice for one receiver, a receiver the route names without a
 * delivery, a message without any delivery. {@code addsUp} is true when nothing is listed.
 * Only messages within the caller's scope are counted: a sender outside it reads as one that
 * sent nothing. Details: {@code docs/admin-api.md}.
 */
@Path("/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciliation reconciliation = EnterpriseBeans.lookup(EnterpriseBeans.CORE, Reconciliation.class);

    @GET
    public ReconciliationReport report(@QueryParam("sender") String sender, @QueryParam("from") String from,
                                       @QueryParam("to") String to) {
        String of = Parameters.required("sender", sender).strip();
        TimeWindow window = TimeWindow.of(from, to, Instant.now());
        return reconciliation.of(Caller.current().scope(), of, window.from(), window.to());
    }
}
