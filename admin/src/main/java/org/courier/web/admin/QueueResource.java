package org.courier.web.admin;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.courier.operations.HeldMessage;
import org.courier.operations.QueueOperations;
import org.courier.operations.QueueView;

/**
 * In-order queues: {@code GET /api/queue?sender=S&queueId=Q} shows a queue's lanes; POST
 * {@code resend-head} / {@code cancel-head} (with {@code receiver=R}) and PUT {@code policy}
 * act on it; {@code GET /api/queue/held?sender=S&queueId=Q&receiver=R[&limit=100]} lists the
 * messages held behind a lane's head, in queue order: {@code {"held": [{messageId, sequence,
 * part, state}]}}. Queue ids may contain '/', so they travel as query parameters.
 */
@Path("/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    private final QueueOperations operations = EnterpriseBeans.lookup(EnterpriseBeans.CORE, QueueOperations.class);

    @GET
    public QueueView view(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId) {
        return operations.view(Parameters.required("sender", sender), Parameters.required("queueId", queueId));
    }

    @GET
    @Path("/held")
    public Map<String, List<HeldMessage>> held(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                               @QueryParam("receiver") String receiver,
                                               @QueryParam("limit") @DefaultValue("100") int limit) {
        return Map.of("held", operations.held(Parameters.required("sender", sender),
                Parameters.required("queueId", queueId), Parameters.required("receiver", receiver), limit));
    }

    @POST
    @Path("/resend-head")
    public QueueView resendHead(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                @QueryParam("receiver") String receiver) {
        return operations.resendHead(Parameters.required("sender", sender), Parameters.required("queueId", queueId),
                Parameters.required("receiver", receiver));
    }

    @POST
    @Path("/cancel-head")
    public QueueView cancelHead(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                @QueryParam("receiver") String receiver) {
        return operations.cancelHead(Parameters.required("sender", sender), Parameters.required("queueId", queueId),
                Parameters.required("receiver", receiver));
    }

    @PUT
    @Path("/policy")
    public QueueView changePolicy(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId,
                                  @QueryParam("policy") String policy) {
        return operations.changePolicy(Parameters.required("sender", sender), Parameters.required("queueId", queueId),
                Parameters.required("policy", policy));
    }
}
