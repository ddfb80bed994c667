package org.courier.monitor;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;
import org.courier.web.access.CrossSiteRule;

/**
 * {@code POST /courier/monitor/signout}: ends the operator's session ({@code 204}); the page then
 * goes to the login page. Like every state-changing request it must come from Courier's own page
 * ({@link CrossSiteRule}): another site cannot sign an operator out either ({@code 403}).
 */
@WebServlet("/signout")
public class SignOutServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(SignOutServlet.class.getName());
    private static final CrossSiteRule RULE = CrossSiteRule.configured();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Optional<String> refusal = RULE.refusal(new CrossSiteRule.Request(request.getMethod(), request.getHeader("Host"),
                request.isSecure(), request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"),
                request.getHeader(CrossSiteRule.HEADER)));
        if (refusal.isPresent()) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "refused as a possible cross-site request: " + refusal.get());
            return;
        }
        String user = request.getUserPrincipal() == null ? "anonymous" : request.getUserPrincipal().getName();
        try {
            request.logout();
        } finally {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        LOG.info(() -> "Signed " + user + " out of the monitor");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
