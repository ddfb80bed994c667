package org.courier.web.admin;

import jakarta.json.Json;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.courier.audit.AuditSubject;
import org.courier.cluster.ClusterNode;
import org.courier.cluster.SharedConfiguration;
import org.courier.routing.ConfigurationChanges;
import org.courier.routing.InvalidConfigurationException;
import org.courier.routing.RoutingConfiguration;
import org.courier.routing.RoutingTable;
import org.courier.web.access.Caller;

/**
 * The routing configuration in force, and changing it without a restart.
 * <ul>
 *   <li>{@code GET /api/configuration}: the version in force (the first 12 hexadecimal digits of
 *       the SHA-256 of its file), since when, who put it in force, the file, and how many
 *       receivers, routes, aggregators and channels it declares.</li>
 *   <li>{@code POST /api/configuration/reload}: reads the file again and puts it in force if it is
 *       valid whole; answers the version read, the one it replaced and what changed (receivers,
 *       routes, aggregators, channels added, removed, changed). A file with any finding changes
 *       nothing: 422 with every finding ({@code errors}, as at deployment).</li>
 *   <li>{@code POST /api/configuration/check}: a dry run, the same checks and answer without
 *       putting anything in force; of the file, or of the XML sent as the body
 *       ({@code Content-Type: application/xml}).</li>
 * </ul>
 * A configuration decides every sender's routes: only an unrestricted operator may reload or check
 * one (403 otherwise). A reload's audit entry carries what it changed.
 */
@Path("/configuration")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigurationResource {

    private final RoutingTable routing = EnterpriseBeans.lookup(EnterpriseBeans.CORE, RoutingTable.class);
    private final SharedConfiguration shared = EnterpriseBeans.lookup(EnterpriseBeans.CORE, SharedConfiguration.class);

    @Context
    private HttpServletRequest request;

    @GET
    public InForce inForce() {
        return InForce.of(routing.inForce(), shared.nodes());
    }

    @POST
    @Path("/reload")
    public Outcome reload() {
        String operator = forEverySender("reloading the routing configuration");
        try {
            RoutingTable.Reading reading = routing.reload(operator);
            Outcome outcome = Outcome.of(reading.version().equals(reading.previous()) ? "unchanged" : "reloaded", reading);
            AuditFilter.details(request, "version=" + reading.previous() + "->" + reading.version() + " "
                    + reading.changes().summary());
            return outcome;
        } catch (InvalidConfigurationException e) {
            AuditFilter.details(request, "refused: " + String.join(" | ", e.errors()));
            throw invalid(e);
        }
    }

    @POST
    @Path("/check")
    @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML, MediaType.WILDCARD})
    public Outcome check(byte[] body) {
        forEverySender("checking a routing configuration");
        try {
            return Outcome.of("checked", routing.check(body == null || body.length == 0 ? null : body));
        } catch (InvalidConfigurationException e) {
            throw invalid(e);
        }
    }

    /** Tells the audit the action concerns no one sender; the caller's name, refused (403) unless its scope is unrestricted. */
    private String forEverySender(String action) {
        AuditFilter.concerns(request, AuditSubject.EVERYTHING);
        Caller caller = Caller.current();
        caller.scope().requireUnrestricted(action);
        return caller.name();
    }

    /** 422: the file says what is wrong with it; nothing changed. */
    private static WebApplicationException invalid(InvalidConfigurationException e) {
        String summary = e.getMessage().lines().findFirst().orElse("the configuration is invalid");
        var errors = Json.createArrayBuilder();
        e.errors().forEach(errors::add);
        String body = Json.createObjectBuilder()
                .add("error", summary.endsWith(":") ? summary.substring(0, summary.length() - 1) + "; nothing changed"
                        : summary + "; nothing changed")
                .add("errors", errors).build().toString();
        return new WebApplicationException(Response.status(422).type(MediaType.APPLICATION_JSON).entity(body).build());
    }

    /**
     * The configuration in force on the wire: on the node that answers ({@code node}), and the
     * version every node of the cluster has in force ({@code nodes}: one entry on a single server).
     */
    @JsonbPropertyOrder({"node", "version", "since", "by", "file", "receivers", "routes", "aggregators", "channels", "nodes"})
    public record InForce(String node, String version, Instant since, String by, String file, int receivers, int routes,
                          int aggregators, int channels, List<NodeVersion> nodes) {

        static InForce of(RoutingTable.InForce inForce, List<SharedConfiguration.NodeVersion> nodes) {
            RoutingConfiguration configuration = inForce.configuration();
            return new InForce(ClusterNode.ID, inForce.version(), inForce.since(), inForce.by(), inForce.file().toString(),
                    configuration.receivers().size(), configuration.routes().size(), configuration.aggregators().size(),
                    configuration.sapRmChannels().size(),
                    nodes.stream().map(n -> new NodeVersion(n.node(), n.version(), n.seenAt())).toList());
        }
    }

    /** A node's version in force, and its last heartbeat. */
    @JsonbPropertyOrder({"node", "version", "seenAt"})
    public record NodeVersion(String node, String version, Instant seenAt) {
    }

    /** A reload's or a check's answer: what it did, the version read, the version in force before, what changes. */
    @JsonbPropertyOrder({"outcome", "version", "previous", "added", "removed", "changed"})
    public record Outcome(String outcome, String version, String previous, List<String> added, List<String> removed,
                          List<String> changed) {

        static Outcome of(String outcome, RoutingTable.Reading reading) {
            ConfigurationChanges changes = reading.changes();
            return new Outcome(outcome, reading.version(), reading.previous(), changes.added(), changes.removed(),
                    changes.changed());
        }
    }
}
