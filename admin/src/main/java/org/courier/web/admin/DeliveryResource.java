package org.courier.web.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.courier.access.OperatorScope;
import org.courier.audit.AuditSubject;
import org.courier.operations.DeliveryOperations;
import org.courier.operations.DeliveryView;
import org.courier.web.access.Caller;

/**
 * One message's delivery to one receiver: {@code GET /api/delivery?sender=S&messageId=M&receiver=R};
 * POST {@code resend}, {@code cancel} or {@code delivered} with the same parameters for a
 * delivery that is FAILED, ERROR or IN_DOUBT. A delivery of a message outside the caller's scope
 * is answered 404, as an unknown one.
 */
@Path("/delivery")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryOperations operations = EnterpriseBeans.lookup(EnterpriseBeans.CORE, DeliveryOperations.class);

    @Context
    private HttpServletRequest request;

    @GET
    public DeliveryView view(@BeanParam DeliveryKey key) {
        return operations.view(Caller.current().scope(), key.sender(), key.messageId(), key.receiver());
    }

    @POST
    @Path("/resend")
    public DeliveryView resend(@BeanParam DeliveryKey key) {
        return act(key, operations::resend);
    }

    @POST
    @Path("/cancel")
    public DeliveryView cancel(@BeanParam DeliveryKey key) {
        return act(key, operations::cancel);
    }

    /** Declares the delivery delivered (the receiver has it): for an in-doubt delivery, after checking with the receiver. */
    @POST
    @Path("/delivered")
    public DeliveryView delivered(@BeanParam DeliveryKey key) {
        return act(key, operations::confirmDelivered);
    }

    /** Finds the delivery within the scope (404 otherwise), tells the audit its message, then acts. */
    private DeliveryView act(DeliveryKey key, Action action) {
        OperatorScope scope = Caller.current().scope();
        DeliveryView found = operations.view(scope, key.sender(), key.messageId(), key.receiver());
        AuditFilter.concerns(request, AuditSubject.message(found.sender(), found.interfaceName()));
        return action.on(scope, key.sender(), key.messageId(), key.receiver());
    }

    /** An action of {@link DeliveryOperations} on one delivery. */
    private interface Action {
        DeliveryView on(OperatorScope scope, String sender, String messageId, String receiver);
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
