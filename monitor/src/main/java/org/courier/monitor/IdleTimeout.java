package org.courier.monitor;

import jakarta.json.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.logging.Logger;

/**
 * Signs an operator out after {@value #PROPERTY} (ISO-8601, default {@value #DEFAULT}) without
 * activity. The page refreshes some views by itself every few seconds and marks those requests
 * with {@value #AUTOMATIC}: they keep the page current but are not activity, so an unattended
 * monitor does not stay signed in forever. The session's own timeout is the same period (it ends
 * a session nobody uses at all). The property is read again when it changes (e.g. set on the
 * running server with the CLI's {@code /system-property=...}); the session timeout follows at the
 * next deployment.
 *
 * <p>The session ends at its first request after the limit: an admin API request is answered
 * {@code 401 {"error": ...}} (the page then shows the login page), any other goes to the login page.
 */
@WebListener
@WebFilter(urlPatterns = "/*")
public class IdleTimeout extends HttpFilter implements ServletContextListener {

    /** The system property that sets the idle timeout. */
    public static final String PROPERTY = "courier.monitor.idle-timeout";

    /** The idle timeout when {@value #PROPERTY} is not set. */
    public static final String DEFAULT = "PT15M";

    /** The request header of the page's own refreshes (not an operator's activity). */
    public static final String AUTOMATIC = "X-Courier-Refresh";

    private static final Logger LOG = Logger.getLogger(IdleTimeout.class.getName());
    private static final String LAST_ACTIVITY = IdleTimeout.class.getName() + ".lastActivity";

    private final Clock clock = Clock.systemUTC();
    private volatile Setting setting = new Setting(DEFAULT, Duration.parse(DEFAULT));

    /** The property's value as last read, and the limit it gave. */
    private record Setting(String value, Duration limit) {
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Duration limit = limit();
        event.getServletContext().setSessionTimeout((int) Math.max(1, (limit.toSeconds() + 59) / 60));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpSession session = request.getSession(false);
        if (session != null && request.getUserPrincipal() != null) {
            Duration limit = limit();
            Instant now = clock.instant();
            if (expired(session.getAttribute(LAST_ACTIVITY), now, limit)) {
                String user = request.getUserPrincipal().getName();
                request.logout();
                session.invalidate();
                LOG.info(() -> "Signed " + user + " out of the monitor after " + limit + " without activity");
                if ("/api".equals(request.getServletPath())) {
                    refuse(response, limit);
                } else {
                    response.sendRedirect(request.getContextPath() + "/login.html?signed-out=idle");
                }
                return;
            }
            if (request.getHeader(AUTOMATIC) == null || session.getAttribute(LAST_ACTIVITY) == null) {
                session.setAttribute(LAST_ACTIVITY, now);
            }
        }
        chain.doFilter(request, response);
    }

    /** Whether the last activity ({@code null}: none yet) lies more than {@code limit} before {@code now}. */
    static boolean expired(Object lastActivity, Instant now, Duration limit) {
        return lastActivity instanceof Instant last && last.plus(limit).isBefore(now);
    }

    private Duration limit() {
        String value = System.getProperty(PROPERTY, DEFAULT);
        Setting current = setting;
        if (!current.value().equals(value)) {
            current = new Setting(value, parse(value));
            setting = current;
        }
        return current.limit();
    }

    /** The idle timeout {@code value} sets; one that is no positive ISO-8601 duration is one WARNING line and the default. */
    static Duration parse(String value) {
        try {
            Duration limit = Duration.parse(value);
            if (!limit.isNegative() && !limit.isZero()) {
                return limit;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.warning(() -> PROPERTY + "=" + value + " is no positive ISO-8601 duration (e.g. PT15M): using " + DEFAULT);
        return Duration.parse(DEFAULT);
    }

    /** "15 minutes", "90 seconds". */
    static String describe(Duration limit) {
        return limit.toSeconds() % 60 == 0 ? limit.toMinutes() + " minutes" : limit.toSeconds() + " seconds";
    }

    private static void refuse(HttpServletResponse response, Duration limit) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(Json.createObjectBuilder()
                .add("error", "signed out after " + describe(limit) + " without activity: sign in again")
                .build().toString().getBytes(StandardCharsets.UTF_8));
    }
}
