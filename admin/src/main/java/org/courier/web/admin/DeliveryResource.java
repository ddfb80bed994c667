package org.courier.web.admin;

import jakarta.ws.rs.BeanParam;
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
 * POST {@code resend}, {@code cancel} or {@code delivered} with the same parameters for a
 * delivery that is FAILED, ERROR or IN_DOUBT.
 */
@Path("/delivery")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryOperations operations = EnterpriseBeans.lookup(EnterpriseBeans.CORE, DeliveryOperations.class);

    @GET
    public DeliveryView view(@BeanParam DeliveryKey key) {
        return operations.view(key.sender(), key.messageId(), key.receiver());
    }

    @POST
    @Path("/resend")
    public DeliveryView resend(@BeanParam DeliveryKey key) {
        return operations.resend(key.sender(), key.messageId(), key.receiver());
    }

    @POST
    @Path("/cancel")
    public DeliveryView cancel(@BeanParam DeliveryKey key) {
        return operations.cancel(key.sender(), key.messageId(), key.receiver());
    }

    /** Declares the delivery delivered (the receiver has it): for an in-doubt delivery, after checking with the receiver. */
    @POST
    @Path("/delivered")
    public DeliveryView delivered(@BeanParam DeliveryKey key) {
        return operations.confirmDelivered(key.sender(), key.messageId(), key.receiver());
    }

    /** The query parameters naming one delivery; each is required (400 when missing). */
    public static class DeliveryKey {

        @QueryParam("sender")
        private String sender;

        @QueryParam("messageId")
        private String messageId;

        @QueryParam("receiver")
        private String receiver;

        String sender() {
            return Parameters.required("sender", sender);
        }

        String messageId() {
            return Parameters.required("messageId", messageId);
        }

        String receiver() {
            return Parameters.required("receiver", receiver);
        }
    }
}
