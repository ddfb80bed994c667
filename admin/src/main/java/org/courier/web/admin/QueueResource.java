package org.courier.web.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.courier.audit.AuditSubject;
import org.courier.operations.HeldMessage;
import org.courier.operations.QueueOperations;
import org.courier.operations.QueueView;
import org.courier.web.access.Caller;

/**
 * In-order queues: {@code GET /api/queue?sender=S&queueId=Q} shows a queue's lanes; POST
 * {@code resend-head} / {@code cancel-head} (with {@code receiver=R}) and PUT {@code policy}
 * act on it; {@code GET /api/queue/held?sender=S&queueId=Q&receiver=R[&limit=100]} lists the
 * messages held behind a lane's head, in queue order: {@code {"held": [{messageId, sequence,
 * part, state}]}}. Queue ids may contain '/', so they travel as query parameters.
 *
 * <p>Within the caller's scope: a queue it may not see is answered 404 as an unknown one; bound to
 * interfaces, it sees and acts on the head and held messages of those interfaces only (a head of
 * another interface is no head to it: 404). A policy rules every message of the queue: changing
 * it needs the whole sender, unlimited by interfaces (403 otherwise).
 */
@Path("/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    /** How many held messages are listed when the request names no {@code limit}. */
    static final int DEFAULT_HELD = 100;

    private final QueueOperations operations = EnterpriseBeans.lookup(EnterpriseBeans.CORE, QueueOperations.class);

    @Context
    private HttpServletRequest request;

    @GET
    public QueueView view(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId) {
        return operations.view(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("queueId", queueId));
    }

    @GET
    @Path("/held")
    public Map<String, List<HeldMessage>> held(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                               @QueryParam("receiver") String receiver,
                                               @QueryParam("limit") String limit) {
        return Map.of("held", operations.held(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("queueId", queueId), Parameters.required("receiver", receiver),
                Objects.requireNonNullElse(QueryValues.whole("limit", limit), DEFAULT_HELD)));
    }

    @POST
    @Path("/resend-head")
    public QueueView resendHead(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                @QueryParam("receiver") String receiver) {
        return acted(operations.resendHead(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("queueId", queueId), Parameters.required("receiver", receiver)));
    }

    @POST
    @Path("/cancel-head")
    public QueueView cancelHead(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                @QueryParam("receiver") String receiver) {
        return acted(operations.cancelHead(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("queueId", queueId), Parameters.required("receiver", receiver)));
    }

    @PUT
    @Path("/policy")
    public QueueView changePolicy(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                  @QueryParam("policy") String policy) {
        return operations.changePolicy(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("queueId", queueId), Parameters.required("policy", policy));
    }

    /** Tells the audit which message the head action concerned; the queue after it. */
    private QueueView acted(QueueOperations.HeadAction action) {
        AuditFilter.concerns(request, AuditSubject.message(action.queue().sender(), action.interfaceName()));
        return action.queue();
    }
}
