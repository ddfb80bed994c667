package org.courier.web.access;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rule that keeps another web site from acting on Courier through an operator's browser
 * (cross-site request forgery). A browser sends an operator's session cookie or cached Basic
 * credentials with any request to Courier, also one that a foreign page makes it send: a form
 * auto-submitted with {@code Content-Type: text/plain}, or a {@code fetch}. So a state-changing
 * request (every method but GET, HEAD and OPTIONS) is accepted only when
 * <ol>
 *   <li>it carries the header {@value #HEADER} (any value): a form cannot set a header, and a
 *       foreign page's {@code fetch} with one needs a CORS preflight that Courier never
 *       answers with permission, so the browser does not send it. Courier's own pages set it;
 *       scripts (curl) add it deliberately;</li>
 *   <li>its {@code Sec-Fetch-Site}, where the browser sends one, is {@code same-origin} or
 *       {@code none} (typed by the user), never {@code same-site} or {@code cross-site};</li>
 *   <li>its {@code Origin}, where the browser sends one, is Courier's own: the scheme and
 *       authority of the request's {@code Host}, or one of the origins configured as Courier's
 *       (behind a proxy that rewrites {@code Host}).</li>
 * </ol>
 * The header alone stops forgeries in every browser that implements CORS; the two checks of
 * what the browser says about the request's origin hold even where a proxy in front of Courier
 * would answer a preflight too generously. A {@code Content-Type: application/json}
 * requirement would not do: old browsers and plugins could send it cross-site without a
 * preflight, and the API's actions take no body.
 */
public final class CrossSiteRule {

    /** The header a state-changing request must carry. */
    public static final String HEADER = "X-Courier-Request";

    /**
     * The system property naming further origins of Courier's own pages, comma-separated
     * ({@code https://courier.example.com}): for a proxy in front of Courier that changes {@code Host}.
     */
    public static final String ORIGINS = "courier.admin.origins";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

    private final Set<String> configuredOrigins;

    /** @param configuredOrigins origins ({@code https://host[:port]}) accepted besides the request's own */
    public CrossSiteRule(Set<String> configuredOrigins) {
        this.configuredOrigins = configuredOrigins.stream().map(CrossSiteRule::normalised).flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The rule with the origins of {@value #ORIGINS}. */
    public static CrossSiteRule configured() {
        return new CrossSiteRule(Arrays.stream(System.getProperty(ORIGINS, "").split(",")).map(String::trim)
                .filter(origin -> !origin.isEmpty()).collect(Collectors.toUnmodifiableSet()));
    }

    /** What the rule reads of a request; a header the request does not carry is {@code null}. */
    public record Request(String method, String host, boolean secure, String origin, String fetchSite, String courierHeader) {
    }

    /** Why the request is refused, or empty when it may go on. */
    public Optional<String> refusal(Request request) {
        if (SAFE_METHODS.contains(request.method().toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (request.fetchSite() != null && !OWN_FETCH_SITES.contains(request.fetchSite().toLowerCase(Locale.ROOT))) {
            return Optional.of("the browser says this request comes from another site (Sec-Fetch-Site: "
                    + request.fetchSite() + ")");
        }
        if (request.origin() != null && !ownOrigin(request) && !opaqueButSameOrigin(request)) {
            return Optional.of("the request comes from the page of another origin (" + request.origin() + ")");
        }
        if (request.courierHeader() == null || request.courierHeader().isBlank()) {
            return Optional.of("a state-changing request must carry the header " + HEADER
                    + " (scripts: add -H '" + HEADER + ": 1')");
        }
        return Optional.empty();
    }

    /**
     * {@code Origin: null} with {@code Sec-Fetch-Site: same-origin}: a browser that follows a
     * {@code no-referrer} policy blanks the origin of Courier's own POSTs; the fetch metadata, which
     * no page can set, still says where the request comes from.
     */
    private static boolean opaqueButSameOrigin(Request request) {
        return "null".equals(request.origin().trim()) && "same-origin".equalsIgnoreCase(request.fetchSite());
    }

    private boolean ownOrigin(Request request) {
        Optional<String> origin = normalised(request.origin());
        if (origin.isEmpty()) {
            return false;
        }
        if (configuredOrigins.contains(origin.get())) {
            return true;
        }
        if (request.host() == null || request.host().isBlank()) {
            return false;
        }
        String scheme = request.secure() ? "https" : "http";
        Optional<String> own = normalised(scheme + "://" + request.host());
        // TLS ended at a proxy: the browser's https origin reaches Courier as plain http with the same Host
        Optional<String> ownBehindProxy = normalised("https://" + request.host());
        return origin.equals(own) || origin.equals(ownBehindProxy);
    }

    /** {@code scheme://host:port} in lower case with the port made explicit, or empty for "null" and the unparseable. */
    static Optional<String> normalised(String origin) {
        if (origin == null || origin.isBlank() || origin.trim().equals("null")) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return Optional.empty();
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
