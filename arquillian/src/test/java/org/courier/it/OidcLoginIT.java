package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.HeadlessBrowser;
import org.courier.it.support.HeadlessBrowser.Run;
import org.courier.it.support.KeycloakServer;
import org.courier.it.support.MonitorSession;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitor behind a company's single sign-on. The running test server is switched to OpenID
 * Connect with {@code server/courier-oidc.sh --connect} (elytron-oidc-client, courier-monitor.war
 * alone) against a real Keycloak ({@link KeycloakServer}), and switched back afterwards, so that the
 * other test classes find the login page again. In headless Chromium ({@code src/test/browser/sso-login.mjs})
 * an operator signs in on Keycloak's own login page, lands on the monitor, which shows the operator and
 * the roles the token carries, and signs out, which ends the provider's session too; a user without a
 * monitor role is refused. Meanwhile senders and scripts keep HTTP Basic on courier-web, and the monitor
 * takes no Courier credentials.
 */
@ExtendWith(ArquillianExtension.class)
class OidcLoginIT {

    private static final String ORDER = "<order xmlns=\"urn:example:orders\"><amount>1.00</amount></order>";
    private static final Duration SWITCH_DEADLINE = Duration.ofMinutes(2);
    /** The script's own deadline for each wait on a page; the process gets twice that and a margin. */
    private static final int BROWSER_WAIT_SECONDS = 60;
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path OUTPUT_DIR = BASEDIR.resolve("target/oidc-login");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static HeadlessBrowser browser;
    private static KeycloakServer keycloak;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeAll
    static void switchMonitorToSingleSignOn() throws Exception {
        browser = HeadlessBrowser.availableOrSkip("the single sign-on test");
        keycloak = KeycloakServer.start();
        courierOidc("on", KeycloakServer.ISSUER.toString(), "courier-monitor");
        assertThat(signInMethod()).isEqualTo("OIDC");
    }

    @AfterAll
    static void switchMonitorBackToItsLoginPage() throws Exception {
        if (keycloak == null) {
            return;
        }
        try {
            courierOidc("off");
        } finally {
            keycloak.close();
        }
        assertThat(signInMethod()).isEqualTo("FORM");
        assertThat(MonitorSession.signIn(TestUser.INTEGRATION).get("api/me").statusCode()).isEqualTo(200);
    }

    @Test
    void operatorSignsInAtTheProviderSeesTheMonitorAndSignsOutThere() throws Exception {
        Run run = signIn("ada", "ada-password", "monitor");

        JsonObject me = Json.createReader(new StringReader(run.last("me: ").orElseThrow())).readObject();
        assertThat(me.getString("user")).as("the token's preferred_username").isEqualTo("ada");
        assertThat(strings(me, "roles")).as("client roles of courier-monitor").containsExactlyInAnyOrder("monitor", "payload");
        // the scope comes from the token's claims senders and interfaces (the realm's user attributes)
        assertThat(strings(me, "senders")).containsExactly("ERP", "SHOP");
        assertThat(strings(me, "interfaces")).containsExactly("Orders");
    }

    @Test
    void userWithoutAMonitorRoleIsRefusedAfterSigningIn() throws Exception {
        signIn("max", "max-password", "refused");
    }

    @Test
    void sendersAndScriptsKeepBasicWhileTheMonitorTakesNoCourierCredentials() throws Exception {
        String sender = "OIDC-" + hex(8);
        String id = "oidc-" + hex(8);
        CourierClient courier = new CourierClient();
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            assertThat(courier.send(sender, "Orders", id, ORDER).result()).isEqualTo("ACCEPTED");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    courier.status(sender, id).delivery("alpha").map(d -> d.state().equals("DELIVERED")).orElse(false));
        }
        assertThat(new AdminQueries().detail(sender, id).messageId()).as("the admin API over Basic").isEqualTo(id);

        HttpResponse<String> monitor = HTTP.send(TestUser.INTEGRATION.authorize(
                HttpRequest.newBuilder(MonitorSession.PAGE.resolve("api/me"))).GET().build(), BodyHandlers.ofString());
        assertThat(monitor.statusCode()).as("the monitor with Basic credentials").isEqualTo(302);
        assertThat(monitor.headers().firstValue("Location")).get().asString()
                .startsWith(KeycloakServer.ISSUER + "/protocol/openid-connect/auth?");
    }

    // --- the browser

    /** Signs {@code user} in through the provider; {@code expect}: monitor (shown) or refused (403). */
    private static Run signIn(String user, String password, String expect) throws IOException, InterruptedException {
        Path log = OUTPUT_DIR.resolve("sso-login-" + user + ".log");
        Run run = browser.run("sso-login.mjs", List.of(
                "--url=" + MonitorSession.PAGE,
                "--provider=" + KeycloakServer.ISSUER,
                "--user=" + user,
                "--password=" + password,
                "--expect=" + expect,
                "--screenshot=" + OUTPUT_DIR.resolve("sso-login-" + user + "-failure.png").toAbsolutePath(),
                "--timeout=" + BROWSER_WAIT_SECONDS), log, Duration.ofSeconds(2L * BROWSER_WAIT_SECONDS + 30));
        assertThat(run.exitCode()).as("sso-login.mjs for %s, exit code; its output:%n%s", user, run.output()).isZero();
        return run;
    }

    private static List<String> strings(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    // --- the switch

    /** How the monitor signs people in now: FORM or OIDC ({@code GET sign-in}, open). */
    private static String signInMethod() throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(MonitorSession.PAGE.resolve("sign-in")).GET().build(),
                BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET sign-in: %s", answer.body()).isEqualTo(200);
        return Json.createReader(new StringReader(answer.body())).readObject().getString("method");
    }

    /** Runs {@code server/courier-oidc.sh --connect} against the test server, as an operator would. */
    private static void courierOidc(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", BASEDIR.resolve("../server/courier-oidc.sh").toString(),
                "--server", System.getProperty("jboss.home"), "--connect"));
        command.addAll(List.of(arguments));
        Files.createDirectories(OUTPUT_DIR);
        Path log = OUTPUT_DIR.resolve("courier-oidc-" + arguments[0] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(SWITCH_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError("courier-oidc.sh " + String.join(" ", arguments) + " did not end in time: " + Files.readString(log));
        }
        assertThat(process.exitValue()).as("courier-oidc.sh %s; its output:%n%s", String.join(" ", arguments), Files.readString(log))
                .isZero();
    }
}
