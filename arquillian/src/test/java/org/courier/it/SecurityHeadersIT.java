package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.MonitorSession;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The security headers are on every answer of the message monitor and the admin API, through
 * both doors (the monitor's session, the scripts' Basic), whatever the outcome — 200, 204, 302,
 * 400, 401, 403, 404 — including those WildFly gives before Courier sees the request; data answers
 * are never stored by a cache, the monitor's scripts and style are revalidated. Over HTTPS (the
 * test server is set up by {@code server/courier-tls.sh}, as the sample is) the answers add HSTS
 * and the session cookie is {@code Secure}; it is always {@code HttpOnly} and {@code SameSite=Strict}.
 */
@ExtendWith(ArquillianExtension.class)
class SecurityHeadersIT {

    private static final URI COURIER = URI.create("http://127.0.0.1:8080/courier/");
    private static final URI COURIER_TLS = URI.create("https://localhost:8443/courier/");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Map<String, String> FROM_A_SCRIPT = Map.of("X-Courier-Request", "1");

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void everyAnswerOfTheScriptsApiCarriesTheHeaders() throws Exception {
        TestUser admin = TestUser.INTEGRATION;
        expectHeaders(basic("GET", "api/me", admin, Map.of()), 200, true);
        expectHeaders(basic("GET", "api/queues", admin, Map.of()), 200, true);
        expectHeaders(basic("GET", "api/messages/detail?sender=HDR&messageId=none", admin, Map.of()), 404, true);
        expectHeaders(basic("GET", "api/messages?from=yesterday", admin, Map.of()), 400, true);
        expectHeaders(basic("POST", "api/delivery/resend?sender=HDR&messageId=none&receiver=alpha", admin, FROM_A_SCRIPT), 404, true);
        expectHeaders(basic("POST", "api/delivery/resend?sender=HDR&messageId=none&receiver=alpha", admin, Map.of()), 403, true);
        expectHeaders(basic("GET", "api/me", null, Map.of()), 401, true);
        expectHeaders(basic("GET", "api/me", SecurityIT.ALICE, Map.of()), 403, true);
        expectHeaders(basic("POST", "api/failures/run", SecurityIT.WATCHER, FROM_A_SCRIPT), 403, true);
    }

    @Test
    void everyAnswerOfTheMonitorCarriesTheHeaders() {
        MonitorSession anonymous = MonitorSession.anonymous();
        expectHeaders(anonymous.get(""), 200, true);                 // the login page
        expectHeaders(anonymous.get("login.html"), 200, true);
        expectHeaders(anonymous.get("login.js"), 200, false);
        expectHeaders(anonymous.get("monitor.css"), 200, false);
        expectHeaders(anonymous.tryLoginAs("watcher", "wrong"), 200, true);

        MonitorSession session = MonitorSession.anonymous();
        expectHeaders(session.tryLoginAs(TestUser.INTEGRATION.name(), TestUser.INTEGRATION.password()), 302, true);
        expectHeaders(session.get(""), 200, true);
        expectHeaders(session.get("index.html"), 200, true);
        expectHeaders(session.get("monitor.js"), 200, false);
        expectHeaders(session.get("api/me"), 200, true);
        expectHeaders(session.get("api/queue?sender=HDR&queueId=NONE"), 404, true);
        expectHeaders(session.send("POST", "api/failures/resend-all?receiver=alpha", Map.of()), 403, true);
        expectHeaders(session.send("POST", "signout", Map.of()), 403, true);
        expectHeaders(session.signOut(), 204, true);

        MonitorSession reader = MonitorSession.signIn(SecurityIT.WATCHER);
        expectHeaders(reader.send("POST", "api/failures/run", Map.of("X-Courier-Request", "monitor")), 403, true);
        expectHeaders(MonitorSession.signIn(SecurityIT.ALICE).get(""), 403, true);
    }

    @Test
    void overHttpsTheAnswersAddHstsAndTheSessionCookieIsSecure() throws Exception {
        HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustingTheSelfSignedCertificate())
                .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> loginPage = tls.send(HttpRequest.newBuilder(COURIER_TLS.resolve("monitor/")).build(),
                BodyHandlers.ofString(UTF_8));
        expectHeaders(loginPage, 200, true);
        assertThat(loginPage.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        String form = "j_username=" + TestUser.INTEGRATION.name() + "&j_password=" + TestUser.INTEGRATION.password();
        HttpResponse<String> login = tls.send(HttpRequest.newBuilder(COURIER_TLS.resolve("monitor/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form)).build(),
                BodyHandlers.ofString(UTF_8));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().allValues("Set-Cookie")).singleElement().satisfies(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").containsIgnoringCase("; secure").contains("HttpOnly").contains("SameSite=Strict"));
        HttpResponse<String> api = tls.send(HttpRequest.newBuilder(COURIER_TLS.resolve("api/me"))
                .header("Authorization", TestUser.INTEGRATION.basicAuthorization()).build(), BodyHandlers.ofString(UTF_8));
        expectHeaders(api, 200, true);
        assertThat(api.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

        HttpResponse<String> plain = MonitorSession.anonymous().get("");
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).as("never over plain HTTP").isEmpty();
        assertThat(MonitorSession.anonymous().tryLoginAs(TestUser.INTEGRATION.name(), TestUser.INTEGRATION.password())
                .headers().allValues("Set-Cookie")).singleElement().satisfies(cookie ->
                assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContainIgnoringCase("secure"));
    }

    private static void expectHeaders(HttpResponse<String> answer, int status, boolean data) {
        String what = answer.request().method() + " " + answer.request().uri() + " -> " + answer.statusCode();
        assertThat(answer.statusCode()).as(what).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Security-Policy")).as(what).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                        "form-action 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(answer.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(answer.headers().firstValue("Referrer-Policy")).as(what).hasValue("same-origin");
        assertThat(answer.headers().firstValue("Cross-Origin-Resource-Policy")).as(what).hasValue("same-origin");
        assertThat(answer.headers().firstValue("Cache-Control")).as(what).hasValue(data ? "no-store" : "no-cache");
    }

    private static HttpResponse<String> basic(String method, String path, TestUser user, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(COURIER.resolve(path)).method(method, BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            user.authorize(request);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), BodyHandlers.ofString(UTF_8));
    }

    /** The test server's certificate is self-signed (made by WildFly for localhost): trusted here, and only here. */
    private static SSLContext trustingTheSelfSignedCertificate() throws Exception {
        TrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, new SecureRandom());
        return context;
    }
}
