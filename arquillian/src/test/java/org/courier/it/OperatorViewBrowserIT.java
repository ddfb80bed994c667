package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.HeadlessBrowser;
import org.courier.it.support.HeadlessBrowser.Run;
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
 * The operator's view: a receiver refuses every message with an error that names the message
 * (so that no two errors are the same text), and an operator, from the monitor's landing page in
 * a real headless browser, finds which receiver is failing and why and how many wait for it,
 * opens its errors grouped, and resends the whole group in one action once it is back
 * ({@code src/test/browser/overview.mjs}); every message then arrives once. Also the API behind
 * it: the overview's counts, the groups, a preview, a bulk action run by two operators at once
 * (each delivery resent once), and its refusals. And deliveries in doubt, found from the
 * overview and settled from their own view ({@code in-doubt.mjs}).
 */
@ExtendWith(ArquillianExtension.class)
class OperatorViewBrowserIT {

    private static final String INTERFACE = "Overview";
    private static final String RECEIVER = "overview";
    private static final int PORT = 18114;
    private static final String GROUP_TEXT = "HTTP 400 from http://127.0.0.1:<n>/overview: order <id> unknown";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Not idempotent, 2 s timeout (courier-test.xml). */
    private static final String FRAGILE = "fragile";
    private static final int FRAGILE_PORT = 18088;
    private static final int BROWSER_WAIT_SECONDS = 60;
    private static final Path OUTPUT_DIR = Path.of(System.getProperty("basedir", "."), "target", "operator-view");

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private TestReceiver receiver;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void refusingReceiver() {
        receiver = TestReceiver.start(PORT);
        // refused for good (a 4xx other than 408/425/429): each delivery goes to the failure store at once
        receiver.answer(400);
        receiver.respondWith(arrival -> "order " + arrival.messageId() + " unknown");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void anOperatorFindsTheFailingReceiverOnTheLandingPageAndResendsItsErrorsInOneAction() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the operator view's browser test");
        String sender = "OV-" + hex(8);
        List<String> ids = inTheFailureStore(sender, 30);

        JsonObject row = receiverRow(admin.overview("PT15M"));
        assertThat(row.getJsonNumber("failedNow").longValue()).isEqualTo(ids.size());
        assertThat(row.getJsonNumber("failed").longValue()).as("failed among the window's").isEqualTo(ids.size());
        assertThat(row.getJsonNumber("waitingNow").longValue()).isEqualTo(ids.size());
        assertThat(row.getJsonObject("topError").getString("error")).isEqualTo(GROUP_TEXT);
        assertThat(admin.overview("PT15M").getJsonObject("attention").getJsonNumber("failed").longValue())
                .isGreaterThanOrEqualTo(ids.size());
        receiver.answer(200);
        receiver.respondWith(null);

        Run run = runScript(browser, "overview", List.of("--receiver=" + RECEIVER, "--count=" + ids.size(),
                "--error=order <id> unknown"));

        assertThat(run.exitCode()).as("overview.mjs exit code; its output:%n%s", run.output()).isZero();
        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
        int arrivals = receiver.total();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.total() == arrivals);
        assertThat(ReceiverLedger.of(receiver).repeats(sender)).isZero();
        assertThat(ids).allSatisfy(id ->
                assertThat(courier.status(sender, id).delivery(RECEIVER).orElseThrow().state()).isEqualTo("DELIVERED"));
    }

    @Test
    void deliveriesInDoubtAreSettledFromTheirOwnView() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the operator view's browser test");
        String sender = "OV-DOUBT-" + hex(8);
        // three settled one by one (selected), three with the rest of the receiver's in one bulk action
        List<String> selected = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        List<String> rest = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        List<String> ids = new ArrayList<>(selected);
        ids.addAll(rest);
        try (TestReceiver fragile = TestReceiver.start(FRAGILE_PORT)) {
            sendInDoubt(fragile, sender, ids);

            Run run = runScript(browser, "in-doubt", List.of("--receiver=" + FRAGILE, "--ids=" + String.join(",", selected),
                    "--all-ids=" + String.join(",", rest)));

            assertThat(run.exitCode()).as("in-doubt.mjs exit code; its output:%n%s", run.output()).isZero();
            assertThat(ids).allSatisfy(id ->
                    assertThat(courier.status(sender, id).delivery(FRAGILE).orElseThrow().state()).isEqualTo("DELIVERED"));
            assertThat(ids).as("each processed once, never sent again").allSatisfy(id ->
                    assertThat(fragile.attempts(id)).isEqualTo(1));
        }
    }

    @Test
    void twoOperatorsResendingTheSameGroupAtOnceSendEachDeliveryOnce() throws Exception {
        String sender = "OV-" + hex(8);
        List<String> ids = inTheFailureStore(sender, 120);
        JsonObject group = onlyGroup();
        assertThat(group.getString("error")).isEqualTo(GROUP_TEXT);
        assertThat(group.getJsonNumber("count").longValue()).isEqualTo(ids.size());
        JsonObject preview = admin.bulkPreview(RECEIVER, group.getString("key"));
        assertThat(preview.getJsonNumber("count").longValue()).isEqualTo(ids.size());
        assertThat(preview.getJsonArray("examples")).hasSize(20);
        receiver.answer(200);
        receiver.respondWith(null);

        ExecutorService operators = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(operators.submit(() -> resendAll(group.getString("key"))));
            }
            int done = 0;
            for (Future<Integer> one : runs) {
                done += one.get();
            }
            assertThat(done).as("deliveries resent by the two operators together").isEqualTo(ids.size());
        } finally {
            operators.shutdownNow();
        }
        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
        int arrivals = receiver.total();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.total() == arrivals);
        assertThat(ReceiverLedger.of(receiver).repeats(sender)).as("deliveries sent twice").isZero();
        assertThat(admin.failureGroups(RECEIVER).getJsonArray("groups")).isEmpty();

        JsonObject again = admin.bulkChunk("resend", RECEIVER, group.getString("key"), null);
        assertThat(again.getInt("done")).as("the same action again: nothing left to do").isZero();
        assertThat(again.get("next")).isIn(null, JsonValue.NULL);
    }

    @Test
    void twoOperatorsSettlingTheSameInDoubtDeliveriesAtOnceSettleEachOnce() throws Exception {
        String sender = "OV-DOUBT-" + hex(8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        try (TestReceiver fragile = TestReceiver.start(FRAGILE_PORT)) {
            sendInDoubt(fragile, sender, ids);
            long inDoubt = admin.inDoubtPreview(FRAGILE).getJsonNumber("count").longValue();
            assertThat(inDoubt).isGreaterThanOrEqualTo(ids.size());

            ExecutorService operators = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(operators.submit(() -> declareAllDelivered()));
                }
                int done = 0;
                for (Future<Integer> one : runs) {
                    done += one.get();
                }
                assertThat(done).as("deliveries declared delivered by the two operators together").isEqualTo(inDoubt);
            } finally {
                operators.shutdownNow();
            }
            assertThat(ids).allSatisfy(id ->
                    assertThat(courier.status(sender, id).delivery(FRAGILE).orElseThrow().state()).isEqualTo("DELIVERED"));
            assertThat(ids).as("each processed once, never sent again").allSatisfy(id ->
                    assertThat(fragile.attempts(id)).isEqualTo(1));
            assertThat(admin.inDoubtChunk("delivered", FRAGILE, null).getInt("done")).as("again: nothing left").isZero();
        }
    }

    private int declareAllDelivered() {
        int done = 0;
        String after = null;
        do {
            JsonObject step = admin.inDoubtChunk("delivered", FRAGILE, after);
            done += step.getInt("done");
            after = step.isNull("next") ? null : step.getString("next");
        } while (after != null);
        return done;
    }

    @Test
    void badBulkAndOverviewRequestsAreRefusedSayingWhy() {
        assertRefused("GET", "/failures/bulk", Map.of("group", "0123456789ab"), "receiver");
        assertRefused("GET", "/failures/bulk", Map.of("receiver", RECEIVER, "group", "not-a-group"), "group");
        assertRefused("POST", "/failures/bulk/resend", Map.of("receiver", RECEIVER, "after", "'; drop table"), "after");
        assertRefused("GET", "/in-doubt/bulk", Map.of(), "receiver");
        assertRefused("POST", "/in-doubt/bulk/delivered", Map.of("receiver", FRAGILE, "after", "'; drop table"), "after");
        assertRefused("GET", "/overview", Map.of("window", "an hour"), "window");
        assertRefused("GET", "/overview", Map.of("window", "P40D"), "window");
        assertRefused("GET", "/overview", Map.of("window", "PT1H", "from", "2026-12-01T00:00:00Z"), "window");
        assertThat(admin.raw("POST", "/failures/bulk/delete", Map.of("receiver", RECEIVER)).statusCode())
                .as("an action that does not exist").isEqualTo(404);
    }

    /** Sends {@code count} messages that the receiver refuses, and waits until each is in the failure store. */
    private List<String> inTheFailureStore(String sender, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(senders.submit(() -> {
                    String id = UUID.randomUUID().toString();
                    assertThat(courier.send(sender, INTERFACE, id, "<order id=\"" + id + "\"/>").result()).isEqualTo("ACCEPTED");
                    return id;
                }));
            }
            for (Future<String> one : sent) {
                ids.add(one.get());
            }
        } finally {
            senders.shutdown();
        }
        await().atMost(DEADLINE).until(() -> admin.failures(RECEIVER).stream()
                .filter(entry -> entry.sender().equals(sender)).count() == count);
        return ids;
    }

    private int resendAll(String group) {
        int done = 0;
        String after = null;
        do {
            JsonObject step = admin.bulkChunk("resend", RECEIVER, group, after);
            done += step.getInt("done");
            after = step.isNull("next") ? null : step.getString("next");
        } while (after != null);
        return done;
    }

    private JsonObject onlyGroup() {
        List<JsonObject> groups = admin.failureGroups(RECEIVER).getJsonArray("groups").getValuesAs(JsonObject.class);
        assertThat(groups).as("the error groups of %s", RECEIVER).hasSize(1);
        return groups.get(0);
    }

    private static JsonObject receiverRow(JsonObject overview) {
        return overview.getJsonArray("receivers").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getString("receiver").equals(RECEIVER)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + RECEIVER + " in " + overview));
    }

    private void assertRefused(String method, String path, Map<String, String> parameters, String naming) {
        var answer = admin.raw(method, path, parameters);
        assertThat(answer.statusCode()).as("%s %s %s: %s", method, path, parameters, answer.body()).isEqualTo(400);
        assertThat(answer.body()).as("the refusal names the parameter").contains("'" + naming + "'");
    }

    private static Run runScript(HeadlessBrowser browser, String script, List<String> arguments)
            throws IOException, InterruptedException {
        return browser.runOnMonitor(script, arguments, OUTPUT_DIR, BROWSER_WAIT_SECONDS);
    }

    /** Sends the messages to the receiver that processes each and answers after its timeout (2 s): each in doubt, held. */
    private void sendInDoubt(TestReceiver fragile, String sender, List<String> ids) {
        ids.forEach(id -> fragile.processThenAnswerLate(id, Duration.ofSeconds(4)));
        ids.forEach(id -> assertThat(courier.send(sender, "Fragile", id, "<order id=\"" + id + "\"/>").result())
                .isEqualTo("ACCEPTED"));
        await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id ->
                courier.status(sender, id).delivery(FRAGILE).map(d -> d.state().equals("IN_DOUBT")).orElse(false)));
    }
}
