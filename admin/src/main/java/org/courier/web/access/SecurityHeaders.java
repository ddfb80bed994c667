package org.courier.web.access;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.SameSiteCookieHandler;
import io.undertow.server.handlers.SecureCookieHandler;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import jakarta.servlet.ServletContext;

/**
 * The security headers on every answer of Courier's web modules, also on the ones WildFly makes
 * before Courier sees a request (401, 403, the login page): an Undertow handler around the whole
 * deployment, installed by WildFly from {@code META-INF/services/io.undertow.servlet.ServletExtension}.
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts, styles, images and requests only from Courier's
 *       own origin, no inline script or style, no plugins, forms post only to Courier, and no
 *       page of another origin may frame Courier's ({@code frame-ancestors 'none'}: clickjacking);
 *       {@code X-Frame-Options: DENY} says the latter to browsers that predate it;</li>
 *   <li>{@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: same-origin} (URLs carry
 *       sender and message ids: no other site sees them; Courier's own requests keep their
 *       {@code Origin}, which {@code no-referrer} would blank to {@code null} on a POST), {@code Cross-Origin-Opener-Policy} and
 *       {@code Cross-Origin-Resource-Policy: same-origin} (no other origin may load Courier's
 *       answers into its page);</li>
 *   <li>{@code Cache-Control: no-store} on every answer but the monitor's scripts and style sheet,
 *       which are {@code no-cache} (revalidated, so an upgrade shows at once): answers carry
 *       business data and must not stay in a shared browser's cache;</li>
 *   <li>over HTTPS, {@code Strict-Transport-Security} (one year) and session cookies marked
 *       {@code Secure}; session cookies are always {@code SameSite=Strict}.</li>
 * </ul>
 * Behind a proxy that ends TLS, WildFly sees plain HTTP: let the proxy send HSTS (docs/security.md).
 */
public class SecurityHeaders implements ServletExtension {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000";

    private static final HttpString CSP = new HttpString("Content-Security-Policy");
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString OPENER_POLICY = new HttpString("Cross-Origin-Opener-Policy");
    private static final HttpString RESOURCE_POLICY = new HttpString("Cross-Origin-Resource-Policy");
    private static final HttpString CACHE_CONTROL = new HttpString("Cache-Control");
    private static final HttpString PRAGMA = new HttpString("Pragma");
    private static final HttpString STRICT_TRANSPORT_SECURITY = new HttpString("Strict-Transport-Security");

    @Override
    public void handleDeployment(DeploymentInfo deployment, ServletContext servletContext) {
        deployment.addOuterHandlerChainWrapper(new Wrapper());
    }

    private static final class Wrapper implements HandlerWrapper {

        @Override
        public HttpHandler wrap(HttpHandler next) {
            HttpHandler cookies = new SecureCookieHandler(new SameSiteCookieHandler(next, "Strict", null));
            return exchange -> {
                exchange.addResponseCommitListener(SecurityHeaders::addHeaders);
                cookies.handleRequest(exchange);
            };
        }
    }

    /** Sets the headers just before the answer goes out, over whatever the request's handling set. */
    static void addHeaders(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(CSP, CONTENT_SECURITY_POLICY);
        headers.put(NOSNIFF, "nosniff");
        headers.put(FRAME_OPTIONS, "DENY");
        headers.put(REFERRER_POLICY, "same-origin");
        headers.put(OPENER_POLICY, "same-origin");
        headers.put(RESOURCE_POLICY, "same-origin");
        if (isRevalidatedAsset(exchange.getRequestPath())) {
            headers.put(CACHE_CONTROL, "no-cache");
        } else {
            headers.put(CACHE_CONTROL, "no-store");
            headers.put(PRAGMA, "no-cache");
        }
        if (exchange.isSecure()) {
            headers.put(STRICT_TRANSPORT_SECURITY, HSTS);
        }
    }

    static boolean isRevalidatedAsset(String path) {
        return path.endsWith(".js") || path.endsWith(".css");
    }
}
