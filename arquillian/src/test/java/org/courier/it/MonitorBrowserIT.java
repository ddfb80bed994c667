package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.AdminCallFailed;
import org.courier.it.support.CourierAdmin.LaneView;
import org.courier.it.support.CourierAdmin.QueueView;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.HeadlessBrowser;
import org.courier.it.support.HeadlessBrowser.Run;
import org.courier.it.support.MonitorApi;
import org.courier.it.support.MonitorApi.HeldMessage;
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
 * The message monitor in a real headless browser: an operator finds a blocked in-order queue,
 * sees the messages held behind its head, resends the head and watches the queue drain
 * ({@code src/test/browser/blocked-queue.mjs}, Debian's Chromium driven by playwright-core);
 * then the receiver's ledger shows every message delivered once, in order. Also the queue list
 * and held-messages API the page reads, and its refusals.
 *
 * <p>The browser test needs {@code node}, {@code npm ci} in {@code src/test/browser} and
 * {@code /usr/bin/chromium} ({@link HeadlessBrowser}): without them it fails in CI and is skipped elsewhere.
 */
@ExtendWith(ArquillianExtension.class)
class MonitorBrowserIT {

    private static final String IN_ORDER = "InOrder";
    private static final String ORDERED = "ordered";
    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);
    /** The receiver of the aggregator's bundles (courier-test.xml). */
    private static final int BUNDLES_PORT = 18096;
    /** The script's own deadline for each wait on the page; the process gets twice that in all. */
    private static final int BROWSER_WAIT_SECONDS = 60;
    private static final Path OUTPUT_DIR = Path.of(System.getProperty("basedir", "."), "target", "blocked-queue");

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final MonitorApi monitor = new MonitorApi();
    private final List<TestReceiver> receivers = new ArrayList<>();

    private TestReceiver ordered;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        ordered = TestReceiver.start(18086);
        receivers.add(ordered);
    }

    @AfterEach
    void stopReceiver() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void operatorFindsBlockedQueueSeesHeldMessagesResendsHeadAndWatchesItDrain() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the monitor's browser test");
        String sender = "MON-" + hex(8);
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 5);
        String head = ids.get(1);
        List<String> held = ids.subList(2, 5);
        // a 4xx other than 408/425/429 is refused for good: the head goes to ERROR at once and blocks
        ordered.answer(head, 400);
        sendInOrder(sender, queueId, ids);
        await().atMost(DELIVERY_DEADLINE).untilAsserted(() -> {
            LaneView lane = lane(sender, queueId);
            assertThat(lane.state()).isEqualTo("BLOCKED");
            assertThat(lane.head().messageId()).isEqualTo(head);
            assertThat(lane.head().state()).isEqualTo("ERROR");
            assertThat(lane.held()).isEqualTo(held.size());
        });
        assertThat(monitor.held(sender, queueId, ORDERED)).extracting(HeldMessage::messageId).containsExactlyElementsOf(held);
        assertThat(ReceiverLedger.of(ordered).messageIds(sender, queueId)).containsExactly(ids.get(0));
        ordered.clearAnswer(head);

        Run run = runBrowser(browser, sender, queueId, held);

        assertThat(run.exitCode()).as("blocked-queue.mjs exit code; its output:%n%s", run.output()).isZero();
        await().atMost(DELIVERY_DEADLINE).until(() -> ReceiverLedger.of(ordered).deliveredAll(sender, ids));
        ReceiverLedger ledger = ReceiverLedger.of(ordered);
        assertThat(ledger.messageIds(sender, queueId)).as("arrival order").containsExactlyElementsOf(ids);
        assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence").containsExactlyElementsOf(oneTo(ids.size()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                ids.stream().allMatch(id -> ReceiverLedger.of(ordered).deliveries(sender, id) == 1));
        assertThat(ids).allSatisfy(id ->
                assertThat(courier.status(sender, id).delivery(ORDERED).orElseThrow().state()).isEqualTo("DELIVERED"));
        LaneView drained = lane(sender, queueId);
        assertThat(drained.state()).isEqualTo("IDLE");
        assertThat(drained.held()).isZero();
    }

    @Test
    void queueListShowsBlockedQueuesFirstAndHeldMessagesInOrderAndRefusesBadRequests() {
        String sender = "MON-" + hex(8);
        String blocked = newQueueId();
        String idle = newQueueId();
        List<String> blockedIds = ids(blocked, 4);
        ordered.answer(blockedIds.get(0), 400);
        sendInOrder(sender, idle, ids(idle, 1));
        sendInOrder(sender, blocked, blockedIds);
        await().atMost(DELIVERY_DEADLINE).until(() -> lane(sender, blocked).state().equals("BLOCKED")
                && lane(sender, idle).state().equals("IDLE"));

        assertThat(monitor.queues(null, sender, null, null).queues()).extracting(QueueView::queueId)
                .as("blocked first").containsExactly(blocked, idle);
        assertThat(monitor.queues("BLOCKED", sender, null, null).queues()).extracting(QueueView::queueId)
                .containsExactly(blocked);
        assertThat(monitor.queues("IDLE", sender, null, null).queues()).extracting(QueueView::queueId)
                .containsExactly(idle);
        assertThat(monitor.queues("FLOWING", sender, null, null).queues()).isEmpty();
        MonitorApi.QueueList firstPage = monitor.queues(null, sender, 1, null);
        assertThat(firstPage.queues()).extracting(QueueView::queueId).containsExactly(blocked);
        assertThat(firstPage.more()).isTrue();
        MonitorApi.QueueList secondPage = monitor.queues(null, sender, 1, 1);
        assertThat(secondPage.queues()).extracting(QueueView::queueId).containsExactly(idle);
        assertThat(secondPage.more()).isFalse();
        assertThat(monitor.held(sender, blocked, ORDERED)).extracting(HeldMessage::messageId, HeldMessage::sequence)
                .containsExactly(tuple(blockedIds.get(1), 2L),
                        tuple(blockedIds.get(2), 3L),
                        tuple(blockedIds.get(3), 4L));
        assertThat(monitor.held(sender, idle, ORDERED)).isEmpty();
        // a held message's detail names the head it waits for
        assertThat(new AdminQueries(admin).detail(sender, blockedIds.get(2)).json().getJsonArray("deliveries")
                .getJsonObject(0).getString("heldBehind")).isEqualTo(blockedIds.get(0));

        assertRefused("/queues", Map.of("state", "STUCK"), 400);
        assertRefused("/queues", Map.of("limit", 0), 400);
        assertRefused("/queue/held", Map.of("sender", sender, "queueId", blocked), 400);
        assertRefused("/queue/held", Map.of("sender", sender, "queueId", newQueueId(), "receiver", ORDERED), 404);
        assertRefused("/queue/held", Map.of("sender", sender, "queueId", blocked, "receiver", "nobody"), 404);
        assertThat(monitor.page("").statusCode()).isEqualTo(200);
        assertThat(monitor.page("").body()).contains("data-testid=\"queue-table\"").contains("monitor.js");
        assertThat(monitor.page("monitor.js").statusCode()).isEqualTo(200);

        // leave nothing blocked for the tests after this one
        admin.cancelHead(sender, blocked, ORDERED);
        await().atMost(DELIVERY_DEADLINE).until(() -> lane(sender, blocked).state().equals("IDLE"));
    }

    @Test
    void messageDetailNamesTheNodesThatAcceptedAndDeliveredAndTheHeaderTheConfigurationInForce() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the monitor's browser test");
        String sender = "MON-" + hex(8);
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 1);
        sendInOrder(sender, queueId, ids);
        await().atMost(DELIVERY_DEADLINE).until(() -> ReceiverLedger.of(ordered).deliveredAll(sender, ids));
        String node = courier.status(sender, ids.get(0)).acceptedBy();
        assertThat(node).as("the node id of the single server (ClusterNode's default)").isEqualTo("courier-1");

        String version = admin.configuration().getString("version");

        Run run = runScript(browser, "message-detail", List.of("--sender=" + sender, "--message=" + ids.get(0),
                "--receiver=" + ORDERED, "--node=" + node, "--configuration=" + version));

        assertThat(run.exitCode()).as("message-detail.mjs exit code; its output:%n%s", run.output()).isZero();
    }

    @Test
    void aMembersDetailLeadsToItsAggregateAndTheAggregatesToItsMembers() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the monitor's browser test");
        String sender = "MON-AGG-" + hex(8);
        String order = AggregatorIT.newOrder();
        try (TestReceiver bundles = TestReceiver.start(BUNDLES_PORT)) {
            // 10 lines of an order make one bundle (aggregator order-lines, delivered to receiver bundles)
            for (int line = 1; line <= 10; line++) {
                assertThat(courier.send(sender, "OrderLines", AggregatorIT.lineId(order, line), AggregatorIT.line(order, line))
                        .result()).isEqualTo("ACCEPTED");
            }
            String member = AggregatorIT.lineId(order, 3);
            String aggregateId = await().atMost(DELIVERY_DEADLINE).until(() -> admin.idMappings(sender, member).stream()
                    .findFirst().map(CourierAdmin.MappedId::targetId), java.util.Optional::isPresent).orElseThrow();
            await().atMost(DELIVERY_DEADLINE).until(() -> courier.status("order-lines", aggregateId).delivery("bundles")
                    .map(d -> d.state().equals("DELIVERED")).orElse(false));

            Run run = runScript(browser, "aggregate-detail", List.of("--sender=" + sender, "--message=" + member,
                    "--aggregator=order-lines", "--aggregate=" + aggregateId, "--members=10"));

            assertThat(run.exitCode()).as("aggregate-detail.mjs exit code; its output:%n%s", run.output()).isZero();
        }
    }

    // --- the browser

    private static Run runBrowser(HeadlessBrowser browser, String sender, String queueId, List<String> held)
            throws IOException, InterruptedException {
        return runScript(browser, "blocked-queue", List.of("--sender=" + sender, "--queue=" + queueId,
                "--receiver=" + ORDERED, "--held=" + String.join(",", held)));
    }

    private static Run runScript(HeadlessBrowser browser, String script, List<String> arguments)
            throws IOException, InterruptedException {
        return browser.runOnMonitor(script, arguments, OUTPUT_DIR, BROWSER_WAIT_SECONDS);
    }

    // --- Courier

    private LaneView lane(String sender, String queueId) {
        return admin.queue(sender, queueId).lane(ORDERED).orElseThrow();
    }

    private void sendInOrder(String sender, String queueId, List<String> ids) {
        courier.sendInOrderAccepted(sender, IN_ORDER, queueId, ids, DELIVERY_DEADLINE);
    }

    private void assertRefused(String path, Map<String, Object> parameters, int status) {
        AdminCallFailed refused = catchThrowableOfType(AdminCallFailed.class, () -> monitor.get(path, parameters));
        assertThat(refused).as("GET %s %s refused", path, parameters).isNotNull();
        assertThat(refused.status()).as(refused.getMessage()).isEqualTo(status);
        assertThat(refused.error()).as(refused.getMessage()).isNotBlank();
    }
}
