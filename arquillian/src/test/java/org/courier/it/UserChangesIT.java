package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
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
 * A change to a user on the running server counts from the next request once the security
 * domain's user cache is cleared, and within the cache's maximum age (10 s) without that
 * (server/cli/configure-security.cli, docs/security.md): the senders a user may send as changed
 * by {@code server/courier-user.sh --connect} (which clears the cache), its password changed
 * through the realm's management operation alone, the user removed and the cache cleared.
 */
@ExtendWith(ArquillianExtension.class)
class UserChangesIT {

    private static final String ORDER = "<order xmlns=\"urn:example:orders\"><amount>1.00</amount></order>";
    private static final String USER = "carol-" + HexFormat.of().toHexDigits(UUID.randomUUID().hashCode());
    private static final TestUser CAROL = new TestUser(USER, "carol-password");
    private static final TestUser CAROL_NEW_PASSWORD = new TestUser(USER, "carol-new-password");
    /** The cache's maximum age (10 s) and time to spare on a loaded machine. */
    private static final Duration MAXIMUM_AGE_AND_SPARE = Duration.ofSeconds(30);

    @ArquillianResource
    private ManagementClient management;

    private final CourierDatabase database = CourierDatabase.fromSystemProperty();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @AfterEach
    void removeUser() throws Exception {
        management.getControllerClient().execute(realm("remove-identity"));
        management.getControllerClient().execute(clearCache());
    }

    @Test
    void changedSendersPasswordOrARemovedUserCount() throws Exception {
        courierUser(CAROL, "CHG-1");
        // first requests: the user is read, and cached
        assertAccepted(CAROL, "CHG-1");
        assertAccepted(CAROL, "CHG-1");

        // the script clears the cache: the new senders count from the next request
        courierUser(CAROL, "CHG-2");
        assertStatus(send(CAROL, "CHG-1"), 500, "NOT_AUTHORIZED");
        assertAccepted(CAROL, "CHG-2");

        // the realm's own operation does not: the cached user (read by the request just made) still
        // has the old password, until the cache's maximum age has passed
        succeed(password(CAROL_NEW_PASSWORD.password()));
        assertAccepted(CAROL, "CHG-2");
        await("the old password refused within the cache's maximum age").atMost(MAXIMUM_AGE_AND_SPARE)
                .pollInterval(Duration.ofMillis(500)).until(() -> send(CAROL, "CHG-2").statusCode() == 401);
        assertAccepted(CAROL_NEW_PASSWORD, "CHG-2");

        // removed, and the cache cleared as docs/security.md says: refused at once
        succeed(realm("remove-identity"));
        succeed(clearCache());
        assertStatus(send(CAROL_NEW_PASSWORD, "CHG-2"), 401, null);
    }

    /** {@code server/courier-user.sh --connect}: the user with role sender, bound to {@code sender}. */
    private static void courierUser(TestUser user, String sender) throws Exception {
        Path script = Path.of(System.getProperty("courier.server.setup"), "courier-user.sh");
        ProcessBuilder run = new ProcessBuilder("bash", script.toString(), "--server", System.getProperty("jboss.home"),
                "--connect", "127.0.0.1:9990", user.name(), "sender", sender).redirectErrorStream(true);
        run.environment().put("COURIER_USER_PASSWORD", user.password());
        Process process = run.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("courier-user.sh finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private void assertAccepted(TestUser user, String sender) {
        String id = "chg-" + UUID.randomUUID();
        HttpResponse<String> answer = new CourierClient().as(user)
                .post(CourierClient.sendEnvelope(sender, "Orders", id, CourierClient.EXACTLY_ONCE, null, ORDER),
                        CourierClient.SEND_ACTION);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("ACCEPTED");
        assertThat(database.messages(sender, id)).isEqualTo(1);
    }

    private static HttpResponse<String> send(TestUser user, String sender) {
        return new CourierClient().as(user).post(
                CourierClient.sendEnvelope(sender, "Orders", "chg-" + UUID.randomUUID(), CourierClient.EXACTLY_ONCE, null, ORDER),
                CourierClient.SEND_ACTION);
    }

    private static void assertStatus(HttpResponse<String> answer, int status, String fault) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        if (fault != null) {
            assertThat(answer.body()).contains(fault);
        }
    }

    private static ModelNode realm(String operation) {
        ModelNode op = new ModelNode();
        op.get("operation").set(operation);
        op.get("address").add("subsystem", "elytron").add("filesystem-realm", "CourierRealm");
        op.get("identity").set(USER);
        return op;
    }

    private static ModelNode clearCache() {
        ModelNode op = new ModelNode();
        op.get("operation").set("clear-cache");
        op.get("address").add("subsystem", "elytron").add("caching-realm", "CourierCachingRealm");
        return op;
    }

    private static ModelNode password(String password) {
        ModelNode op = realm("set-password");
        op.get("clear").get("password").set(password);
        return op;
    }

    private void succeed(ModelNode op) throws Exception {
        ModelNode result = management.getControllerClient().execute(op);
        assertThat(result.get("outcome").asString()).as(result.toString()).isEqualTo("success");
    }
}
