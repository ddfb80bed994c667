package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing configuration changed on the running server, black box: the test rewrites the file
 * the server was started with (a copy of courier-test.xml, restored after each test) and asks for
 * a reload through the admin API. Under Exactly Once and in-order load to receivers the reload
 * keeps, a new receiver and route come into force and nothing is lost, repeated or reordered; a
 * bad file changes nothing and says why; a dry run says what would change; the audit entry says
 * what changed; a removed receiver's pending delivery waits in the failure store.
 */
@ExtendWith(ArquillianExtension.class)
class ConfigurationReloadIT {

    private static final int KEPT_PORT = 18086;
    private static final int ADDED_PORT = 18113;
    private static final String ADDED = """
                <receiver name="reload-added" url="http://127.0.0.1:18113/added" timeout-seconds="5" idempotent="true"/>
                <route sender="*" interface="ReloadAdded"><to receiver="reload-added"/></route>
            """;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private final Path file = Path.of(System.getProperty("courier.test.config"));
    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final AdminQueries queries = new AdminQueries();
    private String original;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void keepTheFile() throws Exception {
        original = Files.readString(file, UTF_8);
    }

    @AfterEach
    void restoreTheFile() throws Exception {
        Files.writeString(file, original, UTF_8);
        HttpResponse<String> restored = admin.reloadConfiguration();
        assertThat(restored.statusCode()).as("the original configuration back in force: %s", restored.body()).isEqualTo(200);
    }

    private String withAdded() {
        return original.replace("</courier>", ADDED + "</courier>");
    }

    @Test
    void aReloadUnderLoadPutsTheNewRoutesInForceAndLosesNothing() throws Exception {
        String before = admin.configuration().getString("version");
        String sender = "RELOAD" + hex(6);
        try (TestReceiver kept = TestReceiver.start(KEPT_PORT);
             TestReceiver added = TestReceiver.start(ADDED_PORT)) {
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(3);
            List<String> queue = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> exactlyOnce = new java.util.concurrent.CopyOnWriteArrayList<>();
            String queueId = "Q" + hex(8);
            try {
                Future<?> inOrder = senders.submit(() -> {
                    for (int i = 0; loading.get(); i++) {
                        String id = sender + "-q-" + i;
                        courier.sendInOrder(sender, "InOrder", id, queueId, "<order n=\"" + i + "\"/>");
                        queue.add(id);
                    }
                    return null;
                });
                Future<?> once = senders.submit(() -> {
                    for (int i = 0; loading.get(); i++) {
                        String id = sender + "-e-" + i;
                        courier.send(sender, "InOrder", id, "<order n=\"" + i + "\"/>");
                        exactlyOnce.add(id);
                    }
                    return null;
                });
                await().atMost(DEADLINE).until(() -> queue.size() >= 20 && exactlyOnce.size() >= 20);

                Files.writeString(file, withAdded(), UTF_8);
                HttpResponse<String> reload = admin.reloadConfiguration();

                assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
                JsonObject answer = json(reload.body());
                assertThat(answer.getString("outcome")).isEqualTo("reloaded");
                assertThat(answer.getString("previous")).isEqualTo(before);
                assertThat(strings(answer, "added")).containsExactly("receiver \"reload-added\"",
                        "route sender=\"*\" interface=\"ReloadAdded\"");
                assertThat(strings(answer, "removed")).isEmpty();
                assertThat(admin.configuration().getString("version")).isEqualTo(answer.getString("version"));

                courier.send(sender, "ReloadAdded", sender + "-new", "<order n=\"new\"/>");
                await().atMost(DEADLINE).until(() -> queue.size() >= 40 && exactlyOnce.size() >= 40);
                loading.set(false);
                inOrder.get(1, TimeUnit.MINUTES);
                once.get(1, TimeUnit.MINUTES);
            } finally {
                loading.set(false);
                senders.shutdownNow();
            }
            List<String> all = new ArrayList<>(queue);
            all.addAll(exactlyOnce);
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(kept).deliveredAll(sender, all)
                    && ReceiverLedger.of(added).deliveredAll(sender, List.of(sender + "-new")));
            ReceiverLedger ledger = ReceiverLedger.of(kept);
            assertThat(ledger.repeats(sender)).as("repeated deliveries across the reload").isZero();
            assertThat(ledger.messageIds(sender, queueId)).as("the queue's order across the reload").containsExactlyElementsOf(queue);
        }
    }

    @Test
    void aBadFileChangesNothingAndSaysWhy() throws Exception {
        JsonObject before = admin.configuration();
        Files.writeString(file, original.replace("</courier>",
                "<receiver name=\"bad\" url=\"ftp://x\"/><route sender=\"*\" interface=\"Bad\"><to receiver=\"nobody\"/></route>"
                        + "</courier>"), UTF_8);

        HttpResponse<String> reload = admin.reloadConfiguration();

        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
        JsonObject refusal = json(reload.body());
        assertThat(refusal.getString("error")).contains("is invalid").endsWith("nothing changed");
        assertThat(strings(refusal, "errors")).anySatisfy(e -> assertThat(e).endsWith("receiver \"bad\": url \"ftp://x\" is not"
                + " an absolute http(s) URL (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)")).anySatisfy(e -> assertThat(e).contains("receiver \"nobody\" is not declared"));
        assertThat(admin.configuration().getString("version")).isEqualTo(before.getString("version"));
        assertThat(admin.configuration().getString("since")).isEqualTo(before.getString("since"));
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        String before = admin.configuration().getString("version");

        HttpResponse<String> check = admin.checkConfiguration(withAdded()
                .replace("<receiver name=\"beta\" url=\"http://127.0.0.1:18082/beta\"", "<receiver name=\"beta\" url=\"http://127.0.0.1:18182/beta\""));

        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        JsonObject answer = json(check.body());
        assertThat(answer.getString("outcome")).isEqualTo("checked");
        assertThat(strings(answer, "added")).containsExactly("receiver \"reload-added\"", "route sender=\"*\" interface=\"ReloadAdded\"");
        assertThat(strings(answer, "changed")).containsExactly("receiver \"beta\"");
        assertThat(admin.configuration().getString("version")).isEqualTo(before);
        assertThat(admin.checkConfiguration("<courier xmlns=\"urn:courier:config:1\"><sender/></courier>").statusCode())
                .isEqualTo(422);
    }

    @Test
    void theAuditEntrySaysWhatTheReloadChanged() throws Exception {
        String from = java.time.Instant.now().toString(); // after the reload of the last test's clean-up
        String before = admin.configuration().getString("version");
        Files.writeString(file, withAdded(), UTF_8);

        assertThat(admin.reloadConfiguration().statusCode()).isEqualTo(200);

        AdminQueries.AuditPage audit = queries.audit(Map.of("from", from));
        assertThat(audit.entries()).filteredOn(entry -> entry.action().equals("POST /api/configuration/reload")
                        && entry.parameters().contains("reload-added"))
                .singleElement().satisfies(entry -> {
                    assertThat(entry.status()).isEqualTo(200);
                    assertThat(entry.parameters()).startsWith("version=" + before + "->")
                            .endsWith("added receiver \"reload-added\", route sender=\"*\" interface=\"ReloadAdded\"");
                });
    }

    /** A receiver a reload removes: its pending delivery fails and waits in the failure store for an operator. */
    @Test
    void aRemovedReceiversPendingDeliveryWaitsInTheFailureStore() throws Exception {
        String sender = "RELOADRM" + hex(6);
        Files.writeString(file, withAdded(), UTF_8);
        assertThat(admin.reloadConfiguration().statusCode()).isEqualTo(200);
        courier.send(sender, "ReloadAdded", sender + "-1", "<order/>"); // nothing listens on 18113: it waits for a retry

        Files.writeString(file, original, UTF_8);
        assertThat(admin.reloadConfiguration().statusCode()).isEqualTo(200);

        await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> admin.failures("reload-added").stream()
                .anyMatch(f -> f.messageId().equals(sender + "-1") && f.lastError() != null
                        && f.lastError().contains("no longer configured")));
    }

    private static JsonObject json(String body) {
        return jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject();
    }

    private static List<String> strings(JsonObject json, String name) {
        return json.getJsonArray(name).stream().map(v -> v.getValueType() == JsonValue.ValueType.STRING
                ? ((JsonString) v).getString() : v.toString()).toList();
    }
}
