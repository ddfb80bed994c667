package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.courier.operations.QueueList;
import org.courier.operations.QueueOperations;
import org.courier.web.access.Caller;

/**
 * The list of in-order queues for the monitor:
 * {@code GET /api/queues[?state=BLOCKED|FLOWING|IDLE][&sender=S][&limit=200][&offset=0]} answers
 * {@code {"queues": [QueueView...], "offset", "limit", "more"}}, queues with a blocked lane
 * first, then by sender and queue id; with a state, only queues with a lane in that state. Only
 * queues the caller may see are listed (and counted in {@code more}): those of its senders and,
 * bound to interfaces, holding a message of one of them.
 */
@Path("/queues")
@Produces(MediaType.APPLICATION_JSON)
public class QueueListResource {

    private final QueueOperations operations = EnterpriseBeans.lookup(EnterpriseBeans.CORE, QueueOperations.class);

    @GET
    public QueueList list(@QueryParam("state") String state, @QueryParam("sender") String sender,
                          @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return operations.list(Caller.current().scope(), state, sender, QueryValues.whole("limit", limit),
                QueryValues.whole("offset", offset));
    }
}
