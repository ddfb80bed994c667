package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.HeadView;
import org.courier.it.support.CourierAdmin.LaneView;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.HeadlessBrowser;
import org.courier.it.support.HeadlessBrowser.Run;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The forged request of the finding and all its siblings, in a real browser: an admin signed in to
 * the monitor — and, separately, a browser holding the admin's HTTP Basic credentials for the
 * scripts' API — opens a page of another origin on the same host ({@code src/test/browser/cross-site.mjs}),
 * which fires every state-changing admin request as an auto-submitted {@code text/plain} form, a
 * no-cors fetch and a CORS fetch with Courier's header. Afterwards nothing has changed: the
 * in-order queue is still blocked behind its failed head with the same attempts and policy, its
 * successor still held, the delivered message not purged, the operator still signed in; every
 * forged request that reached Courier is in the audit trail as refused (403), none as done, and
 * the CORS ones never reached it.
 */
@ExtendWith(ArquillianExtension.class)
class CrossSiteBrowserIT {

    private static final String IN_ORDER = "InOrder";
    private static final String ORDERED = "ordered";
    private static final TestUser ADMIN = SecurityIT.BOSS;
    private static final int ATTACKER_PORT = 18099;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int BROWSER_WAIT_SECONDS = 60;
    private static final Path OUTPUT_DIR = Path.of(System.getProperty("basedir", "."), "target", "cross-site");

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private TestReceiver ordered;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        ordered = TestReceiver.start(18086);
    }

    @AfterEach
    void stopReceiver() {
        ordered.close();
    }

    @Test
    void anotherOriginsPageChangesNothingThroughTheOperatorsBrowser() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the cross-site request test");
        String sender = "CSRF-" + hex(8);
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 3);
        String delivered = ids.get(0);
        String head = ids.get(1);
        ordered.answer(head, 400); // refused for good: ERROR at once, the lane blocks behind it
        sendInOrder(sender, queueId, ids);
        await().atMost(DEADLINE).untilAsserted(() -> {
            LaneView lane = lane(sender, queueId);
            assertThat(lane.state()).isEqualTo("BLOCKED");
            assertThat(lane.head().messageId()).isEqualTo(head);
            assertThat(lane.head().state()).isEqualTo("ERROR");
            assertThat(lane.held()).isEqualTo(1);
        });
        HeadView before = lane(sender, queueId).head();
        Instant start = Instant.now();

        List<Attack> shared = List.of(
                post("delivery/resend", "sender", sender, "messageId", head, "receiver", ORDERED),
                post("delivery/cancel", "sender", sender, "messageId", head, "receiver", ORDERED),
                post("delivery/delivered", "sender", sender, "messageId", head, "receiver", ORDERED),
                post("queue/resend-head", "sender", sender, "queueId", queueId, "receiver", ORDERED),
                post("queue/cancel-head", "sender", sender, "queueId", queueId, "receiver", ORDERED),
                new Attack("PUT", "queue/policy", query("sender", sender, "queueId", queueId, "policy", "SKIP")),
                post("failures/resend-all", "receiver", ORDERED),
                post("failures/bulk/resend", "receiver", ORDERED),
                post("failures/bulk/cancel", "receiver", ORDERED),
                post("in-doubt/bulk/delivered", "receiver", ORDERED),
                post("in-doubt/bulk/resend", "receiver", ORDERED),
                post("failures/run"),
                post("failures/run/stop", "executionId", "1"),
                post("failures/run/restart", "executionId", "1"),
                post("calls/forget", "sender", sender, "messageId", delivered),
                post("retention/purge", "cutoff", "2999-01-01T00:00:00Z"));
        Path attacks = OUTPUT_DIR.resolve("attacks.json");
        Files.createDirectories(attacks.getParent());
        Files.writeString(attacks, Json.createObjectBuilder()
                .add("monitor", json(shared, "api/").add(Json.createObjectBuilder().add("method", "POST").add("path", "signout")))
                .add("basic", json(shared, "api/")).build().toString());

        Run run = browser.run("cross-site.mjs", List.of("--courier=http://localhost:8080/courier/", "--user=" + ADMIN.name(),
                "--password=" + ADMIN.password(), "--attacks=" + attacks.toAbsolutePath(), "--port=" + ATTACKER_PORT,
                "--screenshot=" + OUTPUT_DIR.resolve("cross-site-failure.png").toAbsolutePath(),
                "--timeout=" + BROWSER_WAIT_SECONDS), OUTPUT_DIR.resolve("cross-site.log"),
                Duration.ofSeconds(2L * BROWSER_WAIT_SECONDS + 30));
        assertThat(run.exitCode()).as("cross-site.mjs exit code; its output:%n%s", run.output()).isZero();

        LaneView lane = lane(sender, queueId);
        assertThat(lane.state()).as("the queue is still blocked").isEqualTo("BLOCKED");
        assertThat(lane.held()).isEqualTo(1);
        assertThat(lane.head()).as("head: not resent, cancelled or settled").isEqualTo(before);
        assertThat(admin.queue(sender, queueId).policy()).isEqualTo(CourierAdmin.BLOCK);
        assertThat(admin.raw("GET", "/messages/detail", Map.of("sender", sender, "messageId", delivered)).statusCode())
                .as("the delivered message is not purged").isEqualTo(200);
        assertThat(ordered.count(ids.get(2))).as("the held one not sent").isZero();

        List<JsonObject> audited = auditSince(start);
        assertThat(audited).as("the forged requests that reached Courier: refused, every one")
                .allSatisfy(entry -> assertThat(entry.getInt("status")).as(entry.toString()).isEqualTo(403));
        for (Attack attack : shared) {
            long reached = audited.stream().filter(entry -> entry.getString("action").equals(attack.method() + " /api/" + attack.path())).count();
            // form + no-cors fetch, through each of the two doors; a PUT cannot be sent cross-site without CORS
            assertThat(reached).as(attack.toString()).isEqualTo(attack.method().equals("POST") ? 4 : 0);
        }
    }

    private record Attack(String method, String path, String query) {
    }

    private static Attack post(String path, String... parameters) {
        return new Attack("POST", path, query(parameters));
    }

    private static String query(String... parameters) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < parameters.length; i += 2) {
            query.append(query.isEmpty() ? "?" : "&").append(parameters[i]).append('=')
                    .append(URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private static JsonArrayBuilder json(List<Attack> attacks, String prefix) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        attacks.forEach(a -> array.add(Json.createObjectBuilder().add("method", a.method()).add("path", prefix + a.path() + a.query())));
        return array;
    }

    /** The audit trail's entries of the admin user since {@code start}. */
    private List<JsonObject> auditSince(Instant start) {
        HttpResponse<String> answer = admin.raw("GET", "/audit", Map.of("actor", ADMIN.name(), "from", start.toString(), "size", "500"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.createReader(new StringReader(answer.body())).readObject().getJsonArray("entries").stream()
                .map(JsonValue::asJsonObject).collect(Collectors.toList());
    }

    private LaneView lane(String sender, String queueId) {
        return admin.queue(sender, queueId).lane(ORDERED).orElseThrow();
    }

    private void sendInOrder(String sender, String queueId, List<String> ids) {
        courier.sendInOrderAccepted(sender, IN_ORDER, queueId, ids, DEADLINE);
        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(ordered).deliveries(sender, ids.get(0)) == 1);
    }
}
