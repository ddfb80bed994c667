package org.courier.web.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.courier.audit.AuditRecord;
import org.courier.audit.AuditSubject;
import org.courier.audit.AuditTrail;

/**
 * Audits every admin action — each request to the admin API other than GET, HEAD and OPTIONS —
 * and every view of a payload ({@code GET /api/messages/payload}: business data), once it has
 * been answered: who ({@link SecurityContext#getUserPrincipal()}, "anonymous" without one), what
 * (method, path, query parameters), when (its arrival, server time), the HTTP status it got, and
 * what it concerned ({@link AuditSubject}: the sender and interface that decide which operators may
 * read the entry). A resource that knows the message it acted on says so ({@link #concerns});
 * otherwise the request's {@code sender} parameter names the subject, and without one the entry
 * concerns no one sender. One INFO line per audited request on logger {@value #LOGGER}, and one
 * row in the audit trail, written in a transaction of its own.
 *
 * <p>Failure policy: the action has been done (or refused) when it is audited, so an audit that
 * cannot be stored does not change the answer: it is logged as one WARNING line on
 * {@value #LOGGER} (the INFO line is there already).
 */
@Provider
public class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** The logger of audited actions. */
    public static final String LOGGER = "org.courier.audit";

    private static final Logger LOG = Logger.getLogger(LOGGER);
    /** Reads that are audited all the same (paths below {@code /api}): payload views. */
    static final Set<String> AUDITED_READS = Set.of("messages/payload");

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String ARRIVAL = AuditFilter.class.getName() + ".arrival";
    private static final String SUBJECT = AuditFilter.class.getName() + ".subject";
    private static final String DETAILS = AuditFilter.class.getName() + ".details";

    private AuditTrail trail;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(ARRIVAL, Instant.now());
    }

    /** Tells the audit what the request concerned (the message a resource found and acted on). */
    static void concerns(HttpServletRequest request, AuditSubject subject) {
        request.setAttribute(SUBJECT, subject);
    }

    /** Tells the audit what the action did, beyond its parameters (what a configuration reload changed). */
    static void details(HttpServletRequest request, String details) {
        request.setAttribute(DETAILS, details);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = stripSlash(request.getUriInfo().getPath());
        if (READS.contains(request.getMethod()) && !AUDITED_READS.contains(path)) {
            return;
        }
        Instant at = request.getProperty(ARRIVAL) instanceof Instant arrival ? arrival : Instant.now();
        String actor = actor(request.getSecurityContext());
        String action = request.getMethod() + " /api/" + path;
        String rawQuery = request.getUriInfo().getRequestUri().getRawQuery();
        String parameters = withDetails(parameters(rawQuery), request.getProperty(DETAILS));
        AuditSubject subject = request.getProperty(SUBJECT) instanceof AuditSubject named ? named
                : AuditSubject.sender(first(rawQuery, "sender"));
        int status = response.getStatus();
        LOG.info(() -> actor + " " + action + (parameters.isEmpty() ? "" : " " + parameters) + " -> " + status);
        try {
            trail().record(new AuditRecord(at, actor, action, parameters, subject, status));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "Audit entry not stored for " + actor + " " + action + " at " + at + ": " + cause(e));
        }
    }

    private AuditTrail trail() {
        if (trail == null) {
            trail = EnterpriseBeans.lookup(EnterpriseBeans.CORE, AuditTrail.class);
        }
        return trail;
    }

    static String actor(SecurityContext security) {
        return Optional.ofNullable(security).map(SecurityContext::getUserPrincipal).map(Principal::getName)
                .filter(name -> !name.isBlank()).orElse("anonymous");
    }

    /** The query parameters as {@code name=value&...}, decoded, in the order the request gave them ("" for none). */
    static String parameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        return Arrays.stream(rawQuery.split("&"))
                .filter(pair -> !pair.isEmpty())
                .map(pair -> pair.split("=", 2))
                .map(pair -> decode(pair[0]) + "=" + (pair.length > 1 ? decode(pair[1]) : ""))
                .collect(Collectors.joining("&"));
    }

    /** The parameters, then the details a resource gave ({@link #details}), control characters replaced. */
    static String withDetails(String parameters, Object details) {
        if (!(details instanceof String text) || text.isBlank()) {
            return parameters;
        }
        return (parameters.isEmpty() ? "" : parameters + " ") + text.replaceAll("\\p{Cntrl}", "?");
    }

    /** The first value of query parameter {@code name}, decoded; {@code null} when there is none. */
    static String first(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        return Arrays.stream(rawQuery.split("&"))
                .map(pair -> pair.split("=", 2))
                .filter(pair -> pair.length == 2 && decode(pair[0]).equals(name))
                .map(pair -> decode(pair[1]))
                .findFirst().orElse(null);
    }

    /** Decoded; control characters (a forged line break in the log) become '?'. */
    private static String decode(String text) {
        String decoded;
        try {
            decoded = URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            decoded = text;
        }
        return decoded.replaceAll("\\p{Cntrl}", "?");
    }

    private static String stripSlash(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
