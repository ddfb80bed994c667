package org.courier.web.admin;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import org.courier.audit.AuditSubject;
import org.courier.tracking.MessageDetail;
import org.courier.tracking.MessageDetails;
import org.courier.tracking.MessageFilter;
import org.courier.tracking.MessagePage;
import org.courier.tracking.MessagePayload;
import org.courier.tracking.MessageSearch;
import org.courier.web.access.Caller;

/**
 * Message tracking, within the caller's scope.
 * {@code GET /api/messages?sender=&interface=&receiver=&status=&queueId=&messageId=&from=&to=&page=0&size=50}
 * finds accepted messages, newest first: every filter optional, combined with AND; {@code from}
 * (inclusive) and {@code to} (exclusive) are ISO-8601 instants on the acceptance time;
 * {@code status} is a delivery state matched against the message's deliveries (to
 * {@code receiver}, if given); {@code size} at most {@value MessageSearch#MAX_PAGE_SIZE}. Answer:
 * {@code {page, size, total, messages: [{sender, messageId, interface, qualityOfService, queueId,
 * sequence, acceptedAt, deliveries: [{receiver, part, state}]}]}}.
 *
 * <p>{@code GET /api/messages/detail?sender=&messageId=} is one message's record
 * ({@link MessageDetail}): deliveries with counters and attempt history, mapped ids, the payload's
 * hash and size; {@code GET /api/messages/payload?sender=&messageId=} is its payload
 * ({@link MessagePayload}), for the role {@value #PAYLOAD_ROLE} only, and every view is audited.
 * Both answer 404 for a message Courier does not hold or the caller may not see.
 */
@Path("/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    static final int DEFAULT_PAGE_SIZE = 50;

    /** The role that may view payloads (also required by {@code web.xml} for the path). */
    static final String PAYLOAD_ROLE = "payload";

    private final MessageSearch search = EnterpriseBeans.lookup(EnterpriseBeans.CORE, MessageSearch.class);

    private final MessageDetails details = EnterpriseBeans.lookup(EnterpriseBeans.CORE, MessageDetails.class);

    @Context
    private SecurityContext security;

    @Context
    private HttpServletRequest request;

    @GET
    public MessagePage find(@QueryParam("sender") String sender, @QueryParam("interface") String interfaceName,
                            @QueryParam("receiver") String receiver, @QueryParam("status") String status,
                            @QueryParam("queueId") String queueId, @QueryParam("messageId") String messageId,
                            @QueryParam("from") String from, @QueryParam("to") String to,
                            @QueryParam("page") String page, @QueryParam("size") String size) {
        Instant since = QueryValues.instant("from", from);
        Instant until = QueryValues.instant("to", to);
        QueryValues.ordered(since, until);
        MessageFilter filter = new MessageFilter(QueryValues.optional(sender), QueryValues.optional(interfaceName),
                QueryValues.optional(receiver), QueryValues.state("status", status), QueryValues.optional(queueId),
                QueryValues.optional(messageId), since, until);
        return search.find(Caller.current().scope(), filter, QueryValues.page(page),
                QueryValues.size(size, DEFAULT_PAGE_SIZE, MessageSearch.MAX_PAGE_SIZE));
    }

    @GET
    @Path("/detail")
    public MessageDetail detail(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId) {
        return details.find(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("messageId", messageId));
    }

    /**
     * The payload. The role is checked here too, not only by {@code web.xml}'s constraint on the
     * exact path: JAX-RS also matches the path with a trailing slash, which that constraint does not.
     */
    @GET
    @Path("/payload")
    public MessagePayload payload(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId) {
        if (!security.isUserInRole(PAYLOAD_ROLE)) {
            String body = Json.createObjectBuilder().add("error", "viewing payloads needs the role '" + PAYLOAD_ROLE + "'")
                    .build().toString();
            throw new WebApplicationException(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                    .entity(body).build());
        }
        MessagePayload payload = details.payload(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("messageId", messageId));
        AuditFilter.concerns(request, AuditSubject.message(payload.sender(), payload.interfaceName()));
        return payload;
    }
}
