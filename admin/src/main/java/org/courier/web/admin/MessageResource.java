package org.courier.web.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.courier.tracking.MessageDetail;
import org.courier.tracking.MessageDetails;
import org.courier.tracking.MessageFilter;
import org.courier.tracking.MessagePage;
import org.courier.tracking.MessageSearch;

/**
 * Message tracking. {@code GET /api/messages?sender=&interface=&receiver=&status=&queueId=&messageId=&from=&to=&page=0&size=50}
 * finds accepted messages, newest first: every filter optional, combined with AND; {@code from}
 * (inclusive) and {@code to} (exclusive) are ISO-8601 instants on the acceptance time;
 * {@code status} is a delivery state matched against the message's deliveries (to
 * {@code receiver}, if given); {@code size} at most {@value MessageSearch#MAX_PAGE_SIZE}. Answer:
 * {@code {page, size, total, messages: [{sender, messageId, interface, qualityOfService, queueId,
 * sequence, acceptedAt, deliveries: [{receiver, part, state}]}]}}.
 *
 * <p>{@code GET /api/messages/detail?sender=&messageId=} is one message's full record
 * ({@link MessageDetail}): payload, deliveries with counters and attempt history, mapped ids;
 * 404 for a message Courier does not hold.
 */
@Path("/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    static final int DEFAULT_PAGE_SIZE = 50;

    private final MessageSearch search = EnterpriseBeans.lookup(EnterpriseBeans.CORE, MessageSearch.class);

    private final MessageDetails details = EnterpriseBeans.lookup(EnterpriseBeans.CORE, MessageDetails.class);

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
        return search.find(filter, QueryValues.page(page), QueryValues.size(size, DEFAULT_PAGE_SIZE,
                MessageSearch.MAX_PAGE_SIZE));
    }

    @GET
    @Path("/detail")
    public MessageDetail detail(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId) {
        return details.find(Parameters.required("sender", sender), Parameters.required("messageId", messageId));
    }
}
