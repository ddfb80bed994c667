package org.courier.web.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.courier.access.OperatorScope;
import org.courier.audit.AuditSubject;
import org.courier.call.CallRecord;
import org.courier.call.CallService;
import org.courier.web.access.Caller;

/**
 * Idempotent calls, for operators: {@code GET /api/calls?sender=ERP&messageId=q-1} shows the
 * stored record (state IN_PROGRESS, COMPLETED or IN_DOUBT, attempts, replays, the response's
 * status, the last error); {@code POST /api/calls/forget?sender=ERP&messageId=q-1} settles a
 * call in doubt that the receiver did not process (checked with the receiver's operators): the
 * next call of the id calls the receiver again. 404 when there is no record (or its sender and
 * interface are outside the caller's scope), 409 for a completed call or one in progress.
 */
@Path("/calls")
@Produces(MediaType.APPLICATION_JSON)
public class CallResource {

    /** One call as the API shows it (the response body is not shown). */
    public record CallView(String sender, String messageId, String interfaceName, String receiver, String state, int attempt,
                           Instant startedAt, Instant completedAt, Integer responseStatus, int replays, String lastError,
                           Instant expiresAt) {
        static CallView of(CallRecord c) {
            return new CallView(c.sender(), c.messageId(), c.interfaceName(), c.receiver(), c.state().name(), c.attempt(),
                    c.startedAt(), c.completedAt(), c.responseStatus() == 0 ? null : c.responseStatus(), c.replays(),
                    c.lastError(), c.expiresAt());
        }
    }

    private final CallService calls = EnterpriseBeans.lookup(EnterpriseBeans.CORE, CallService.class);

    @Context
    private HttpServletRequest request;

    @GET
    public CallView find(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId) {
        return CallView.of(calls.find(Caller.current().scope(), Parameters.required("sender", sender),
                Parameters.required("messageId", messageId)));
    }

    @POST
    @Path("/forget")
    public CallView forget(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId) {
        OperatorScope scope = Caller.current().scope();
        CallView before = CallView.of(calls.find(scope, Parameters.required("sender", sender),
                Parameters.required("messageId", messageId)));
        AuditFilter.concerns(request, AuditSubject.message(before.sender(), before.interfaceName()));
        calls.forget(scope, sender, messageId);
        return before;
    }
}
