package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;

/**
 * An operator signed in to the message monitor the way a browser does it: the login page, a form
 * POST to {@code j_security_check}, then the session cookie on every request (never HTTP Basic).
 * Paths are relative to {@link #PAGE}, e.g. {@code api/queues}.
 */
public final class MonitorSession {

    /** The monitor of a locally running server. */
    public static final URI PAGE = URI.create("http://127.0.0.1:8080/courier/monitor/");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final TestUser user;

    private MonitorSession(TestUser user) {
        this.user = user;
    }

    /** Signs {@code user} in; fails unless the login answered with the redirect to the monitor. */
    public static MonitorSession signIn(TestUser user) {
        MonitorSession session = new MonitorSession(user);
        HttpResponse<String> login = session.tryLogin(user.password());
        if (login.statusCode() != 302) {
            throw new IllegalStateException("sign-in of " + user.name() + " answered " + login.statusCode() + ": " + login.body());
        }
        return session;
    }

    /** A session that has not signed in (yet): what a browser without a session sees. */
    public static MonitorSession anonymous() {
        return new MonitorSession(null);
    }

    /** Opens the login page and posts the form with {@code password}: the answer of {@code j_security_check}. */
    public HttpResponse<String> tryLogin(String password) {
        return tryLoginAs(user.name(), password);
    }

    /** Opens the login page and posts the form as {@code name} with {@code password}. */
    public HttpResponse<String> tryLoginAs(String name, String password) {
        get("");
        String form = "j_username=" + URLEncoder.encode(name, UTF_8) + "&j_password=" + URLEncoder.encode(password, UTF_8);
        return send(HttpRequest.newBuilder(PAGE.resolve("j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form)));
    }

    /** A GET, as the page's own script makes it. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(PAGE.resolve(path)).header("Accept", "application/json, text/html").GET());
    }

    /** A request with these headers and no body (e.g. a POST with or without {@code X-Courier-Request}). */
    public HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(PAGE.resolve(path)).method(method, BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    /** Signs out as the page does: {@code POST signout} with the page's header. */
    public HttpResponse<String> signOut() {
        return send("POST", "signout", Map.of("X-Courier-Request", "monitor"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(built, BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + built.uri(), e);
        }
    }
}
