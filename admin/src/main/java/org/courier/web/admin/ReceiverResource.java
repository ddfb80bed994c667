package org.courier.web.admin;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.courier.audit.AuditSubject;
import org.courier.receivers.HealthKeeper;
import org.courier.receivers.HealthState;
import org.courier.receivers.ReceiverCondition;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;
import org.courier.web.access.Caller;

/**
 * Receiver health: {@code GET /api/receivers} answers every configured receiver's channel and condition,
 * {@code {"receivers": [{receiver, protocol, address, state, since, failures, lastError, changedBy, waiting}]}};
 * {@code POST /api/receivers/maintenance?receiver=R} takes a receiver out (its deliveries wait,
 * nothing is sent to it) and {@code POST /api/receivers/resume?receiver=R} brings it back (UP, its
 * waiting deliveries go out), each answering the receiver's condition after the action, done by
 * the caller as operator (404 for a receiver that is not configured). Every operator may read the
 * conditions; taking a receiver out or back holds or sends every sender's deliveries to it, so
 * only an unrestricted operator may (403 otherwise), and the audit records it as concerning no
 * one sender.
 */
@Path("/receivers")
@Produces(MediaType.APPLICATION_JSON)
public class ReceiverResource {

    private final HealthKeeper health = EnterpriseBeans.lookup(EnterpriseBeans.CORE, HealthKeeper.class);
    private final RoutingTable routing = EnterpriseBeans.lookup(EnterpriseBeans.CORE, RoutingTable.class);

    @Context
    private HttpServletRequest request;

    @GET
    public Map<String, List<Condition>> overview() {
        return Map.of("receivers", health.overview().stream().map(this::condition).toList());
    }

    @POST
    @Path("/maintenance")
    public Condition maintenance(@QueryParam("receiver") String receiver) {
        String operator = forEverySender("taking a receiver out for maintenance");
        return condition(health.maintenance(Parameters.required("receiver", receiver), operator));
    }

    @POST
    @Path("/resume")
    public Condition resume(@QueryParam("receiver") String receiver) {
        String operator = forEverySender("bringing a receiver back");
        return condition(health.resume(Parameters.required("receiver", receiver), operator));
    }

    /** Tells the audit the action concerns no one sender; the caller's name, refused (403) unless its scope is unrestricted. */
    private String forEverySender(String action) {
        AuditFilter.concerns(request, AuditSubject.EVERYTHING);
        Caller caller = Caller.current();
        caller.scope().requireUnrestricted(action);
        return caller.name();
    }

    private Condition condition(ReceiverCondition condition) {
        Optional<ReceiverEndpoint> endpoint = routing.receiver(condition.receiver());
        return new Condition(condition.receiver(), endpoint.map(e -> e.protocol().configName()).orElse(null),
                endpoint.map(e -> address(e.url())).orElse(null), condition.state(), condition.since(), condition.failures(),
                condition.lastError(), condition.changedBy(), condition.waiting());
    }

    /** Where the receiver is, without what a URL may carry that is not for every operator's eyes: user, query, fragment. */
    static String address(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /**
     * A receiver's channel and condition on the wire: every member present; {@code lastError} as
     * {@code null} when there is none, {@code protocol} and {@code address} for a receiver no longer
     * configured.
     */
    @JsonbNillable
    @JsonbPropertyOrder({"receiver", "protocol", "address", "state", "since", "failures", "lastError", "changedBy", "waiting"})
    public record Condition(String receiver, String protocol, String address, HealthState state, Instant since, int failures,
                            String lastError, String changedBy, long waiting) {
    }
}
