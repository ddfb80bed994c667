package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.MonitorSession;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * People sign in to the message monitor on its login page and keep a session, never HTTP Basic:
 * without a session every page and API answer is the login page; a wrong password opens nothing;
 * a user without an operator role signs in but sees nothing; signing out ends the session (and
 * only a request from the monitor's own page can do it); a session without activity ends after
 * {@code courier.monitor.idle-timeout}, and the page's automatic refreshes are not activity.
 */
@ExtendWith(ArquillianExtension.class)
class MonitorLoginIT {

    private static final TestUser ALICE = SecurityIT.ALICE;       // sender only
    private static final TestUser WATCHER = SecurityIT.WATCHER;   // monitor
    private static final String IDLE_TIMEOUT = "courier.monitor.idle-timeout";
    private static final Map<String, String> FROM_THE_PAGE = Map.of("X-Courier-Request", "monitor");
    private static final Map<String, String> AUTOMATIC = Map.of("X-Courier-Request", "monitor", "X-Courier-Refresh", "auto");

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @AfterEach
    void restoreIdleTimeout() throws Exception {
        execute("remove", null);
    }

    @Test
    void withoutASessionThePagesAndTheApiAnswerTheLoginPageNotABasicChallenge() {
        MonitorSession anonymous = MonitorSession.anonymous();
        for (String path : new String[] {"", "index.html", "monitor.js", "api/queues", "api/me"}) {
            HttpResponse<String> answer = anonymous.get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.body()).as(path).contains("data-testid=\"login-form\"").contains("j_security_check");
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(path).isEmpty();
        }
        HttpResponse<String> basic = anonymous.send("GET", "api/me", Map.of("Authorization", TestUser.INTEGRATION.basicAuthorization()));
        assertThat(basic.body()).as("Basic is for scripts at /courier/api, not the monitor").contains("login-form");
    }

    @Test
    void anOperatorSignsInAndTheSessionCarriesItsIdentity() {
        MonitorSession session = MonitorSession.signIn(WATCHER);

        HttpResponse<String> me = session.get("api/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"user\":\"watcher\"").contains("\"monitor\"");
        HttpResponse<String> page = session.get("");
        assertThat(page.body()).contains("data-testid=\"queue-table\"").doesNotContain("login-form");
        assertThat(session.get("api/queues").statusCode()).isEqualTo(200);
        assertThat(session.send("POST", "api/failures/run", FROM_THE_PAGE).statusCode())
                .as("the monitor role reads, it does not act").isEqualTo(403);
    }

    @Test
    void aWrongPasswordOpensNothing() {
        MonitorSession session = MonitorSession.anonymous();
        HttpResponse<String> login = session.tryLoginAs(WATCHER.name(), "not-the-password");
        assertThat(login.statusCode()).as("the login page again, with its error").isEqualTo(200);
        assertThat(login.body()).contains("login-form");
        assertThat(session.get("api/me").body()).contains("login-form");
    }

    @Test
    void aUserWithoutAnOperatorRoleSignsInButSeesNothing() {
        MonitorSession session = MonitorSession.signIn(ALICE);
        assertThat(session.get("").statusCode()).isEqualTo(403);
        assertThat(session.get("api/queues").statusCode()).isEqualTo(403);
    }

    @Test
    void signingOutEndsTheSessionAndOnlyTheMonitorsOwnPageCanDoIt() {
        MonitorSession session = MonitorSession.signIn(WATCHER);

        assertThat(session.send("POST", "signout", Map.of()).statusCode()).as("no X-Courier-Request").isEqualTo(403);
        assertThat(session.send("POST", "signout", Map.of("X-Courier-Request", "forged", "Origin", "http://localhost:18099"))
                .statusCode()).as("another origin").isEqualTo(403);
        assertThat(session.get("api/me").statusCode()).as("still signed in").isEqualTo(200);
        assertThat(session.get("api/me").body()).contains("\"user\":\"watcher\"");

        assertThat(session.signOut().statusCode()).isEqualTo(204);
        assertThat(session.get("api/me").body()).contains("login-form");
    }

    @Test
    void aSessionWithoutActivityEndsAndTheAutomaticRefreshIsNoActivity() throws Exception {
        Duration limit = Duration.ofSeconds(4);
        execute("add", "PT" + limit.toSeconds() + "S");

        MonitorSession busy = MonitorSession.signIn(WATCHER);
        MonitorSession unattended = MonitorSession.signIn(WATCHER);
        Instant lastActivity = Instant.now();
        assertThat(unattended.get("api/me").statusCode()).isEqualTo(200);

        // the operator at the busy monitor keeps working; the unattended page only refreshes by itself
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(busy.get("api/me").statusCode()).as("an active session lives on").isEqualTo(200);
            return unattended.send("GET", "api/queues", AUTOMATIC).statusCode() == 401;
        });
        assertThat(Duration.between(lastActivity, Instant.now())).as("not before the limit").isGreaterThanOrEqualTo(limit);
        assertThat(unattended.get("api/me").body()).as("the session is gone").contains("login-form");
        assertThat(busy.get("api/me").statusCode()).isEqualTo(200);
    }

    /** Adds ({@code value}) or removes ({@code null}) the system property of the idle timeout on the running server. */
    private void execute(String operation, String value) throws Exception {
        ModelNode op = new ModelNode();
        op.get("operation").set(operation);
        op.get("address").add("system-property", IDLE_TIMEOUT);
        if (value != null) {
            op.get("value").set(value);
        }
        ModelNode result = management.getControllerClient().execute(op);
        if (value != null) {
            assertThat(result.get("outcome").asString()).as(result.toString()).isEqualTo("success");
        }
    }
}
