package org.courier.web.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.courier.operations.DeliveryOperations;
import org.courier.operations.DeliveryView;

/**
 * One message's delivery to one receiver: {@code GET /api/delivery?sender=S&messageId=M&receiver=R};
 * POST {@code resend} or {@code cancel} with the same parameters for a delivery that is FAILED.
 */
@Path("/delivery")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class DeliveryResource {

    @EJB
    private DeliveryOperations operations;

    @GET
    public DeliveryView view(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId,
                             @QueryParam("receiver") String receiver) {
        return operations.view(Parameters.required("sender", sender), Parameters.required("messageId", messageId),
                Parameters.required("receiver", receiver));
    }

    @POST
    @Path("/resend")
    public DeliveryView resend(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId,
                               @QueryParam("receiver") String receiver) {
        return operations.resend(Parameters.required("sender", sender), Parameters.required("messageId", messageId),
                Parameters.required("receiver", receiver));
    }

    @POST
    @Path("/cancel")
    public DeliveryView cancel(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId,
                               @QueryParam("receiver") String receiver) {
        return operations.cancel(Parameters.required("sender", sender), Parameters.required("messageId", messageId),
                Parameters.required("receiver", receiver));
    }

    /** Declares the delivery delivered (the receiver has it): for an in-doubt delivery, after checking with the receiver. */
    @POST
    @Path("/delivered")
    public DeliveryView delivered(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId,
                                  @QueryParam("receiver") String receiver) {
        return operations.confirmDelivered(Parameters.required("sender", sender),
                Parameters.required("messageId", messageId), Parameters.required("receiver", receiver));
    }
}
