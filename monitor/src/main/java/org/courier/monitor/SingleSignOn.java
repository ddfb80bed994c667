package org.courier.monitor;

import io.undertow.server.handlers.SameSiteCookieHandler;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.AuthMethodConfig;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.LoginConfig;
import jakarta.servlet.ServletContext;
import java.util.logging.Logger;

/**
 * What changes when WildFly's elytron-oidc-client signs people in to the monitor through a company's
 * single sign-on (OpenID Connect) instead of the login page: the login page learns it
 * ({@link SignInServlet}), and the monitor's cookies become {@code SameSite=Lax} instead of the
 * {@code Strict} that Courier's security headers give every cookie.
 *
 * <p>The provider sends the browser back to the monitor from its own site, and a browser withholds
 * {@code Strict} cookies on that navigation: WildFly would miss the state cookie of the sign-in it
 * started ({@code 400}, "No state cookie" in the log) and then the session it opened. {@code Lax}
 * cookies come along on top-level GET navigations only; a request another site makes with a POST, or
 * from a script or a frame, still carries none, and Courier refuses cross-site state changes on its
 * own ({@link org.courier.web.access.CrossSiteRule}). With the login page the cookies stay {@code Strict}.
 */
public class SingleSignOn implements ServletExtension {

    /** The authentication method elytron-oidc-client gives a deployment it secures. */
    static final String OIDC = "OIDC";

    private static final Logger LOG = Logger.getLogger(SingleSignOn.class.getName());

    @Override
    public void handleDeployment(DeploymentInfo deployment, ServletContext servletContext) {
        if (!signsInWithOidc(deployment.getLoginConfig())) {
            return;
        }
        servletContext.setAttribute(SignInServlet.METHOD, OIDC);
        // Initial handlers wrap the outer ones (Courier's security headers): a cookie's SameSite is set
        // there first and here last, just before the answer goes out.
        deployment.addInitialHandlerChainWrapper(next -> new SameSiteCookieHandler(next, "Lax", null));
        LOG.info("The monitor signs people in through OpenID Connect (single sign-on); its cookies are SameSite=Lax");
    }

    static boolean signsInWithOidc(LoginConfig login) {
        return login != null && login.getAuthMethods().stream().map(AuthMethodConfig::getName).anyMatch(OIDC::equals);
    }
}
