package org.courier.web.admin;

import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.courier.idmapping.IdMapper;
import org.courier.idmapping.IdMapping;
import org.courier.web.access.Caller;

/**
 * ID mappings, looked up both ways, for operators tracing a message:
 * {@code GET /api/id-mappings?sender=ERP&messageId=order-4711} lists the ids the message got,
 * one per context (receiver); {@code GET /api/id-mappings?target=ABC...} names the message a
 * receiver's id belongs to. Answer: {@code {"mappings": [{sourceId, context, targetId, format,
 * mapping, createdAt, expiresAt}]}}, empty if there is none (never mapped, or expired) or none
 * within the caller's scope (of its senders; bound to interfaces: of stored messages of those).
 */
@Path("/id-mappings")
@Produces(MediaType.APPLICATION_JSON)
public class IdMappingResource {

    /** One mapping as the API shows it. */
    public record MappedId(String sourceId, String context, String targetId, String format, String mapping,
                           Instant createdAt, Instant expiresAt) {
        static MappedId of(IdMapping m) {
            return new MappedId(m.sourceId(), m.context(), m.targetId(), m.format(), m.mode().name().toLowerCase(),
                    m.createdAt(), m.expiresAt());
        }
    }

    /** The answer: {@code {"mappings": [...]}}. */
    public record MappedIds(List<MappedId> mappings) {
    }

    private final IdMapper mapper = EnterpriseBeans.lookup(EnterpriseBeans.CORE, IdMapper.class);

    @GET
    public MappedIds find(@QueryParam("sender") String sender, @QueryParam("messageId") String messageId,
                               @QueryParam("target") String target) {
        boolean bySource = sender != null || messageId != null;
        if (bySource == (target != null)) {
            throw refused("give either sender and messageId (ids a message got) or target (whose id it is)");
        }
        List<IdMapping> found = bySource
                ? mapper.bySource(Caller.current().scope(), IdMapping.sourceId(Parameters.required("sender", sender),
                        Parameters.required("messageId", messageId)))
                : mapper.byTarget(Caller.current().scope(), target.strip());
        return new MappedIds(found.stream().map(MappedId::of).toList());
    }

    private static WebApplicationException refused(String error) {
        String body = Json.createObjectBuilder().add("error", error).build().toString();
        return new WebApplicationException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(body).build());
    }
}
