package org.courier.monitor;

import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /courier/monitor/sign-in}, open: how people sign in to this monitor, for the login page:
 * {@code {"method": "FORM"}} (Courier's user store, the page's own form) or {@code {"method": "OIDC"}}
 * (the company's single sign-on: the page offers a link to the monitor, which sends the browser to the
 * provider's login page). Says nothing about any user.
 */
@WebServlet("/sign-in")
public class SignInServlet extends HttpServlet {

    /** The servlet context attribute {@link SingleSignOn} sets when the monitor signs in through OpenID Connect. */
    static final String METHOD = SignInServlet.class.getName() + ".method";

    static final String FORM = "FORM";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object method = getServletContext().getAttribute(METHOD);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(Json.createObjectBuilder()
                .add("method", method == null ? FORM : method.toString())
                .build().toString().getBytes(StandardCharsets.UTF_8));
    }
}
