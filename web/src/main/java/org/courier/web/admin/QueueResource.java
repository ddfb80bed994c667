package org.courier.web.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.courier.operations.QueueOperations;
import org.courier.operations.QueueView;

/**
 * In-order queues: {@code GET /api/queue?sender=S&queueId=Q} shows a queue's lanes; POST
 * {@code resend-head} / {@code cancel-head} (with {@code receiver=R}) and PUT {@code policy}
 * act on it. Queue ids may contain '/', so they travel as query parameters.
 */
@Path("/queue")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class QueueResource {

    @EJB
    private QueueOperations operations;

    @GET
    public QueueView view(@QueryParam("sender") String sender, @QueryParam("queueId") String queueId) {
        return operations.view(Parameters.required("sender", sender), Parameters.required("queueId", queueId));
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
