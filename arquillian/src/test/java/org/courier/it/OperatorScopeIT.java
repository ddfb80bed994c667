package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.AdminQueries.params;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.order;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.groups.Tuple;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.AdminQueries.AuditEntry;
import org.courier.it.support.AdminQueries.MessageSummary;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierAdmin.MappedId;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.MonitorSession;
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
 * Least privilege, black box: operators bound to part of Courier's data (users of
 * {@code src/test/cli/test-users.cli}) see and act on nothing else, through both doors of the
 * admin API (HTTP Basic at {@code /courier/api}, the monitor's session at
 * {@code /courier/monitor/api}). Each test sends the same traffic as the bound sender and as
 * another one — delivered, refused for good (ERROR), with mapped ids, a blocked in-order queue
 * with held messages, an in-doubt delivery, a stored idempotent call — so that every listing
 * has the other sender's items to leave out; totals are compared with what the unrestricted
 * integration user sees of the bound sender alone.
 *
 * <p>Routes of the test configuration: {@code Orders} → alpha, {@code Fanout} → alpha and beta,
 * {@code Flaky} → flaky, {@code Mapped} → idoc and as2, {@code InOrder} → ordered,
 * {@code InOrderPair} → ordered and ordered-b, {@code Fragile} → fragile (not idempotent: a late
 * answer puts it in doubt), {@code IdempotentQuote} → responder (idempotent call).
 */
@ExtendWith(ArquillianExtension.class)
class OperatorScopeIT {

    /** Roles monitor and admin; bound to sender SCOPE-A. */
    static final TestUser SCOPE_A = new TestUser("scope-a", "scope-a-password");
    /** Roles monitor, admin and payload; bound to sender SCOPE-B and its interfaces Orders and InOrder. */
    static final TestUser SCOPE_B_ORDERS = new TestUser("scope-b-orders", "scope-b-orders-password");
    /** Role monitor; bound to no sender. */
    static final TestUser UNBOUND = new TestUser("scope-none", "scope-none-password");

    private static final String A = "SCOPE-A";
    private static final String B = "SCOPE-B";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(3);

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final AdminQueries everything = new AdminQueries(admin);
    private final CourierAdmin operatorA = admin.as(SCOPE_A);
    private final AdminQueries seenByA = new AdminQueries(operatorA);
    private final CourierAdmin operatorB = admin.as(SCOPE_B_ORDERS);
    private final AdminQueries seenByB = new AdminQueries(operatorB);
    private final List<TestReceiver> receivers = new ArrayList<>();
    private final List<Traffic> sent = new ArrayList<>();
    private final AtomicInteger quotes = new AtomicInteger();
    private final Instant from = Instant.now().minusSeconds(1);

    private TestReceiver alpha;
    private TestReceiver flaky;
    private TestReceiver ordered;
    private TestReceiver fragile;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        alpha = receiver(18081);
        receiver(18082);
        flaky = receiver(18083);
        ordered = receiver(18086);
        receiver(18087);
        fragile = receiver(18088);
        receiver(18092);
        receiver(18093);
        receiver(18095).respondWith(request -> "<quote xmlns=\"urn:example:quotes\" n=\"" + quotes.incrementAndGet()
                + "\"><price>1.00</price></quote>");
    }

    /** Settles what the test left waiting (in-doubt deliveries, blocked queues) as the integration user, then stops. */
    @AfterEach
    void settleAndStopReceivers() {
        try {
            for (Traffic traffic : sent) {
                settle(traffic);
            }
        } finally {
            receivers.forEach(TestReceiver::close);
        }
    }

    @Test
    void anOperatorBoundToOneSenderSeesOnlyThatSendersItemsOnEveryListing() {
        Traffic mine = traffic(A);
        Traffic theirs = traffic(otherSender());

        AdminQueries.MessagePage messages = seenByA.messages(params("size", "500"));
        assertThat(messages.messages()).extracting(MessageSummary::sender).containsOnly(A);
        assertThat(messages.messageIds()).contains(mine.order(), mine.refused()).doesNotContain(theirs.order());
        assertThat(messages.total()).isEqualTo(everything.messages(params("sender", A)).total());
        assertThat(seenByA.messages(params("sender", theirs.sender())).total()).isZero();
        assertThat(everything.messages(params("sender", theirs.sender())).total()).isEqualTo(7);

        assertThat(seenByA.detail(A, mine.order()).interfaceName()).isEqualTo("Orders");
        assertNotFoundAsUnknown(operatorA, "/messages/detail", theirs.sender(), "messageId", theirs.order());
        assertThat(operatorA.raw("GET", "/delivery", delivery(mine.refused(), "flaky")).statusCode()).isEqualTo(200);
        assertNotFoundAsUnknown(operatorA, "/delivery", theirs.sender(), "messageId", theirs.refused(), "receiver", "flaky");

        List<String> queues = queueNames(operatorA, params("limit", "1000"));
        assertThat(queues).allMatch(q -> q.startsWith(A + "/")).contains(A + "/" + mine.queueId())
                .doesNotContain(theirs.sender() + "/" + theirs.queueId());
        assertThat(queues).hasSameSizeAs(queueNames(admin, params("sender", A, "limit", "1000")));
        assertThat(queueNames(operatorA, params("sender", theirs.sender()))).isEmpty();
        assertThat(operatorA.queue(A, mine.queueId()).lane("ordered").orElseThrow().held()).isEqualTo(2);
        assertNotFoundAsUnknown(operatorA, "/queue", theirs.sender(), "queueId", theirs.queueId());
        assertThat(json(operatorA, "/queue/held", params("sender", A, "queueId", mine.queueId(), "receiver", "ordered"))
                .getJsonArray("held")).hasSize(2);
        assertNotFoundAsUnknown(operatorA, "/queue/held", theirs.sender(), "queueId", theirs.queueId(), "receiver", "ordered");

        List<FailureEntry> failures = operatorA.failures("flaky");
        assertThat(failures).extracting(FailureEntry::sender).containsOnly(A);
        assertThat(failures).extracting(FailureEntry::messageId).contains(mine.refused()).doesNotContain(theirs.refused());
        assertThat((long) failures.size()).isEqualTo(inFailureStore(A, "flaky"));

        CourierAdmin.InDoubtReport inDoubt = operatorA.inDoubt("fragile");
        assertThat(inDoubt.entries()).extracting(FailureEntry::sender).containsOnly(A);
        assertThat(inDoubt.entries()).extracting(FailureEntry::messageId).contains(mine.doubtful());
        assertThat((long) inDoubt.held()).isEqualTo(inState(A, "fragile", "IN_DOUBT")).isEqualTo(inDoubt.entries().size());

        List<MappedId> theirIds = admin.idMappings(theirs.sender(), theirs.mapped());
        assertThat(theirIds).hasSize(2);
        assertThat(operatorA.idMappings(theirs.sender(), theirs.mapped())).isEmpty();
        assertThat(operatorA.idMappingsOfTarget(theirIds.get(0).targetId())).isEmpty();
        List<MappedId> myIds = operatorA.idMappings(A, mine.mapped());
        assertThat(myIds).hasSize(2);
        assertThat(operatorA.idMappingsOfTarget(myIds.get(0).targetId())).extracting(MappedId::sourceId)
                .containsExactly(A + "/" + mine.mapped());

        assertThat(operatorA.storedCall(A, mine.call()).state()).isEqualTo("COMPLETED");
        assertNotFoundAsUnknown(operatorA, "/calls", theirs.sender(), "messageId", theirs.call());

        Instant to = Instant.now().plusSeconds(1);
        assertThat(seenByA.reconciliation(theirs.sender(), from, to).accepted()).isZero();
        assertThat(everything.reconciliation(theirs.sender(), from, to).accepted()).isEqualTo(7);
        assertThat(seenByA.reconciliation(A, from, to).accepted()).isEqualTo(everything.reconciliation(A, from, to).accepted())
                .isGreaterThanOrEqualTo(7);
    }

    @Test
    void anOperatorBoundToOneSenderActsOnItsItemsOnlyAndAnythingElseStaysAsItWas() {
        Traffic mine = traffic(A);
        Traffic theirs = traffic(otherSender());
        long theirAttempts = flaky.attempts(theirs.refused());

        assertRefused(404, "POST", "/delivery/resend", delivery(theirs.refused(), "flaky", theirs.sender()));
        assertRefused(404, "POST", "/delivery/cancel", delivery(theirs.refused(), "flaky", theirs.sender()));
        assertRefused(404, "POST", "/delivery/delivered", delivery(theirs.doubtful(), "fragile", theirs.sender()));
        Map<String, String> theirQueue = params("sender", theirs.sender(), "queueId", theirs.queueId(), "receiver", "ordered");
        assertRefused(404, "POST", "/queue/resend-head", theirQueue);
        assertRefused(404, "POST", "/queue/cancel-head", theirQueue);
        assertRefused(404, "POST", "/calls/forget", params("sender", theirs.sender(), "messageId", theirs.call()));
        assertRefused(403, "PUT", "/queue/policy", params("sender", theirs.sender(), "queueId", theirs.queueId(), "policy",
                CourierAdmin.SKIP)).contains("needs an operator bound to sender " + theirs.sender());
        for (String[] global : new String[][] {{"POST", "/failures/run"}, {"GET", "/failures/run"},
                {"POST", "/failures/run/stop"}, {"POST", "/failures/run/restart"}, {"POST", "/retention/purge"},
                {"GET", "/retention/purge"}}) {
            assertRefused(403, global[0], global[1], params("executionId", "1")).contains("only an operator bound to all");
        }

        assertThat(everything.detail(theirs.sender(), theirs.refused()).delivery("flaky").orElseThrow().state()).isEqualTo("ERROR");
        assertThat(everything.detail(theirs.sender(), theirs.doubtful()).delivery("fragile").orElseThrow().state())
                .isEqualTo("IN_DOUBT");
        CourierAdmin.QueueView theirView = admin.queue(theirs.sender(), theirs.queueId());
        assertThat(theirView.policy()).isEqualTo(CourierAdmin.BLOCK);
        assertThat(theirView.lane("ordered").orElseThrow().head().messageId()).isEqualTo(theirs.queued().get(0));
        assertThat(theirView.lane("ordered").orElseThrow().held()).isEqualTo(2);
        assertThat(admin.storedCall(theirs.sender(), theirs.call()).state()).isEqualTo("COMPLETED");

        flaky.clearAnswer(mine.refused());
        flaky.clearAnswer(theirs.refused());
        long mineInStore = inFailureStore(A, "flaky");
        assertThat((long) operatorA.resendAll("flaky")).isEqualTo(mineInStore).isPositive();
        await().atMost(DEADLINE).until(() -> state(A, mine.refused(), "flaky").equals("DELIVERED"));
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> flaky.attempts(theirs.refused()) == theirAttempts
                && state(theirs.sender(), theirs.refused(), "flaky").equals("ERROR"));
        assertThat(operatorA.cancelHead(A, mine.queueId(), "ordered").lane("ordered").orElseThrow().head())
                .satisfies(head -> assertThat(head == null || !head.messageId().equals(mine.queued().get(0))).isTrue());

        List<AuditEntry> audit = seenByA.audit(params("from", from.toString())).entries();
        assertThat(audit).extracting(AuditEntry::sender).containsOnly(A);
        assertThat(audit).extracting(AuditEntry::action, AuditEntry::interfaceName).contains(
                Tuple.tuple("POST /api/failures/resend-all", null),
                Tuple.tuple("POST /api/queue/cancel-head", "InOrder"));
        List<AuditEntry> allOfA = everything.audit(params("actor", SCOPE_A.name(), "from", from.toString())).entries();
        assertThat(allOfA).extracting(AuditEntry::sender).as("its refused attempts are audited under what they named")
                .contains(theirs.sender(), null, A);
        assertThat(audit).hasSizeLessThan(allOfA.size());
    }

    @Test
    void anOperatorBoundToInterfacesSeesAndActsOnThoseOnlyAndViewsPayloadsAudited() {
        String tag = B + "-" + hex(6);
        String order = tag + "-order";
        String refusedOrder = tag + "-refused-order";
        String fanout = tag + "-fanout";
        String refusedFlaky = tag + "-refused-flaky";
        alpha.answer(refusedOrder, 400);
        flaky.answer(refusedFlaky, 400);
        send(B, "Orders", order);
        send(B, "Orders", refusedOrder);
        send(B, "Fanout", fanout);
        send(B, "Flaky", refusedFlaky);
        String visibleQueue = newQueueId();
        String hiddenQueue = newQueueId();
        courier.sendInOrder(B, "InOrder", tag + "-in-order", visibleQueue, order(visibleQueue, tag + "-in-order"));
        courier.sendInOrder(B, "InOrderPair", tag + "-pair", hiddenQueue, order(hiddenQueue, tag + "-pair"));
        await().atMost(DEADLINE).until(() -> state(B, refusedOrder, "alpha").equals("ERROR")
                && state(B, refusedFlaky, "flaky").equals("ERROR") && state(B, order, "alpha").equals("DELIVERED"));

        AdminQueries.MessagePage messages = seenByB.messages(params("size", "500"));
        assertThat(messages.messages()).extracting(MessageSummary::sender).containsOnly(B);
        assertThat(messages.messages()).extracting(MessageSummary::interfaceName).containsOnly("Orders", "InOrder");
        assertThat(messages.messageIds()).contains(order, refusedOrder, tag + "-in-order")
                .doesNotContain(fanout, refusedFlaky, tag + "-pair");
        assertThat(messages.total()).isEqualTo(everything.messages(params("sender", B, "interface", "Orders")).total()
                + everything.messages(params("sender", B, "interface", "InOrder")).total());
        assertNotFoundAsUnknown(operatorB, "/messages/detail", B, "messageId", fanout);
        assertThat(operatorB.failures("alpha")).extracting(FailureEntry::messageId).contains(refusedOrder);
        assertThat(operatorB.failures("flaky")).extracting(FailureEntry::messageId).doesNotContain(refusedFlaky);
        assertThat(queueNames(operatorB, params("sender", B, "limit", "1000"))).contains(B + "/" + visibleQueue)
                .doesNotContain(B + "/" + hiddenQueue);
        assertNotFoundAsUnknown(operatorB, "/queue", B, "queueId", hiddenQueue);
        assertThat(operatorB.raw("PUT", "/queue/policy", params("sender", B, "queueId", visibleQueue, "policy",
                CourierAdmin.SKIP)).statusCode()).as("a policy rules every interface of the queue").isEqualTo(403);
        Instant to = Instant.now().plusSeconds(1);
        assertThat(seenByB.reconciliation(B, from, to).accepted()).isEqualTo(3);
        assertThat(everything.reconciliation(B, from, to).accepted()).isEqualTo(6);

        AdminQueries.Payload payload = seenByB.payload(B, order);
        assertThat(payload.payload()).isEqualTo(payload(order));
        assertThat(payload.interfaceName()).isEqualTo("Orders");
        assertNotFoundAsUnknown(operatorB, "/messages/payload", B, "messageId", fanout);
        assertThat(operatorA.raw("GET", "/messages/payload", params("sender", B, "messageId", order)).statusCode())
                .as("without the role payload").isEqualTo(403);
        assertThat(operatorA.raw("GET", "/messages/payload/", params("sender", B, "messageId", order)).statusCode())
                .as("without the role payload, by another spelling of the path").isEqualTo(403);

        List<AuditEntry> views = seenByB.audit(params("actor", SCOPE_B_ORDERS.name(), "from", from.toString())).entries()
                .stream().filter(e -> e.action().equals("GET /api/messages/payload")).toList();
        assertThat(views).extracting(AuditEntry::parameters, AuditEntry::status, AuditEntry::sender, AuditEntry::interfaceName)
                .contains(Tuple.tuple("sender=" + B + "&messageId=" + order, 200, B, "Orders"));
        assertThat(seenByB.audit(params("from", from.toString())).entries()).allSatisfy(e -> {
            assertThat(e.sender()).isEqualTo(B);
            assertThat(e.interfaceName()).isIn("Orders", "InOrder");
        });
        assertThat(everything.audit(params("actor", SCOPE_B_ORDERS.name(), "from", from.toString())).entries())
                .extracting(AuditEntry::action, AuditEntry::status)
                .contains(Tuple.tuple("GET /api/messages/payload", 404),
                        Tuple.tuple("PUT /api/queue/policy", 403));
        assertThat(admin.cancelDelivery(B, refusedOrder, "alpha")).isEqualTo("CANCELLED");
        assertThat(admin.cancelDelivery(B, refusedFlaky, "flaky")).isEqualTo("CANCELLED");
    }

    @Test
    void anOperatorBoundToNoSenderIsRefusedEverythingButWhoItIs() {
        CourierAdmin unbound = admin.as(UNBOUND);

        JsonObject me = json(unbound, "/me", params());
        assertThat(me.getString("user")).isEqualTo(UNBOUND.name());
        assertThat(me.getJsonArray("senders")).isEmpty();
        for (String path : List.of("/messages", "/queues", "/failures", "/in-doubt", "/audit")) {
            HttpResponse<String> refused = unbound.raw("GET", path, params());
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(error(refused)).contains("user 'scope-none' is bound to no sender (realm attribute 'senders')")
                    .contains("ask an administrator");
        }
        assertThat(MonitorSession.signIn(UNBOUND).get("api/messages").statusCode()).isEqualTo(403);
    }

    @Test
    void theMonitorsSessionDoorScopesAsTheBasicDoorDoes() {
        String mine = A + "-" + hex(6) + "-order";
        String theirs = otherSender();
        String myQueue = newQueueId();
        String theirQueue = newQueueId();
        send(A, "Orders", mine);
        send(theirs, "Orders", theirs + "-order");
        courier.sendInOrder(A, "InOrder", mine + "-q", myQueue, order(myQueue, mine + "-q"));
        courier.sendInOrder(theirs, "InOrder", theirs + "-q", theirQueue, order(theirQueue, theirs + "-q"));
        await().atMost(DEADLINE).until(() -> state(A, mine, "alpha").equals("DELIVERED")
                && state(theirs, theirs + "-order", "alpha").equals("DELIVERED"));
        MonitorSession session = MonitorSession.signIn(SCOPE_A);

        JsonObject page = body(session.get("api/messages?size=500"));
        assertThat(page.getJsonArray("messages").getValuesAs(JsonObject.class))
                .extracting(m -> m.getString("sender")).containsOnly(A);
        assertThat(page.getJsonNumber("total").longValue()).isEqualTo(seenByA.messages(params()).total());
        HttpResponse<String> outside = session.get("api/messages/detail?sender=" + theirs + "&messageId=" + theirs + "-order");
        HttpResponse<String> basic = operatorA.raw("GET", "/messages/detail", params("sender", theirs, "messageId",
                theirs + "-order"));
        assertThat(outside.statusCode()).isEqualTo(basic.statusCode()).isEqualTo(404);
        assertThat(error(outside)).isEqualTo(error(basic));
        assertThat(body(session.get("api/queues?limit=1000")).getJsonArray("queues").getValuesAs(JsonObject.class))
                .extracting(q -> q.getString("sender") + "/" + q.getString("queueId"))
                .allMatch(q -> q.startsWith(A + "/")).contains(A + "/" + myQueue).doesNotContain(theirs + "/" + theirQueue);
    }

    // --- traffic

    /** What {@link #traffic} sent as one sender. */
    private record Traffic(String sender, String order, String refused, String mapped, String queueId, List<String> queued,
                           String doubtful, String call) {
    }

    /**
     * Sends, as {@code sender}: an order (delivered), a message flaky refuses for good (ERROR), one
     * with mapped ids, three of an in-order queue whose head ordered refuses (blocked, two held),
     * one whose answer comes too late (in doubt), and an idempotent call (stored); waits until
     * each stands so.
     */
    private Traffic traffic(String sender) {
        String tag = sender + "-" + hex(6);
        String queueId = newQueueId();
        Traffic traffic = new Traffic(sender, tag + "-order", tag + "-refused", tag + "-mapped", queueId,
                List.of(tag + "-q1", tag + "-q2", tag + "-q3"), tag + "-doubt", tag + "-call");
        flaky.answer(traffic.refused(), 400);
        ordered.answer(traffic.queued().get(0), 400);
        fragile.processThenAnswerLate(traffic.doubtful(), Duration.ofSeconds(4));
        send(sender, "Orders", traffic.order());
        send(sender, "Flaky", traffic.refused());
        send(sender, "Mapped", traffic.mapped());
        traffic.queued().forEach(id -> assertThat(courier.sendInOrder(sender, "InOrder", id, queueId, order(queueId, id))
                .result()).isEqualTo("ACCEPTED"));
        send(sender, "Fragile", traffic.doubtful());
        assertThat(courier.call(sender, "IdempotentQuote", traffic.call(), "<quoteRequest xmlns=\"urn:example:quotes\"><item>"
                + traffic.call() + "</item></quoteRequest>").replay()).isFalse();
        sent.add(traffic);
        await().atMost(DEADLINE).until(() -> state(sender, traffic.order(), "alpha").equals("DELIVERED")
                && state(sender, traffic.refused(), "flaky").equals("ERROR")
                && state(sender, traffic.queued().get(0), "ordered").equals("ERROR")
                && state(sender, traffic.doubtful(), "fragile").equals("IN_DOUBT"));
        return traffic;
    }

    /** Unblocks the queue and settles the doubt, so that nothing of the test waits for an operator. */
    private void settle(Traffic traffic) {
        CourierAdmin.QueueView queue = admin.queue(traffic.sender(), traffic.queueId());
        if (queue.lane("ordered").map(lane -> lane.head() != null).orElse(false)
                && queue.lane("ordered").orElseThrow().head().messageId().equals(traffic.queued().get(0))) {
            admin.cancelHead(traffic.sender(), traffic.queueId(), "ordered");
        }
        if (state(traffic.sender(), traffic.doubtful(), "fragile").equals("IN_DOUBT")) {
            admin.declareDelivered(traffic.sender(), traffic.doubtful(), "fragile");
        }
        await().atMost(DEADLINE).until(() -> traffic.queued().stream().skip(1)
                .allMatch(id -> state(traffic.sender(), id, "ordered").equals("DELIVERED")));
    }

    // --- reading and asserting

    private void send(String sender, String interfaceName, String id) {
        assertThat(courier.send(sender, interfaceName, id, payload(id)).result()).as("result for %s", id).isEqualTo("ACCEPTED");
    }

    private String state(String sender, String messageId, String receiver) {
        return everything.detail(sender, messageId).delivery(receiver).map(AdminQueries.DeliveryRecord::state).orElse("NONE");
    }

    /** The sender's deliveries to the receiver in the failure store, as the unrestricted user counts them. */
    private long inFailureStore(String sender, String receiver) {
        return inState(sender, receiver, "FAILED") + inState(sender, receiver, "ERROR");
    }

    private long inState(String sender, String receiver, String state) {
        return everything.messages(params("sender", sender, "receiver", receiver, "status", state)).total();
    }

    /**
     * The operator's request for another sender's item is answered 404 with the very error of a
     * request for an item that does not exist: the answer tells nothing of what is there.
     */
    private void assertNotFoundAsUnknown(CourierAdmin operator, String path, String sender, String... keyAndMore) {
        String key = keyAndMore[0];
        String existing = keyAndMore[1];
        String unknown = "never-" + hex(8);
        Map<String, String> asked = params("sender", sender, key, existing);
        Map<String, String> askedUnknown = params("sender", sender, key, unknown);
        for (int i = 2; i < keyAndMore.length; i += 2) {
            asked.put(keyAndMore[i], keyAndMore[i + 1]);
            askedUnknown.put(keyAndMore[i], keyAndMore[i + 1]);
        }
        HttpResponse<String> outside = operator.raw("GET", path, asked);
        HttpResponse<String> missing = operator.raw("GET", path, askedUnknown);
        assertThat(outside.statusCode()).as("%s %s: %s", path, asked, outside.body()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(outside)).isEqualTo(error(missing).replace(unknown, existing));
        assertThat(admin.raw("GET", path, asked).statusCode()).as("the unrestricted user finds it").isEqualTo(200);
    }

    /** Operator A's request is refused with this status and a JSON error; the error, for more checks. */
    private AbstractStringAssert<?> assertRefused(int status, String method, String path, Map<String, String> parameters) {
        HttpResponse<String> refused = operatorA.raw(method, path, parameters);
        assertThat(refused.statusCode()).as("%s %s %s: %s", method, path, parameters, refused.body()).isEqualTo(status);
        return assertThat(error(refused)).isNotBlank();
    }

    private static Map<String, String> delivery(String messageId, String receiver) {
        return params("sender", A, "messageId", messageId, "receiver", receiver);
    }

    private static Map<String, String> delivery(String messageId, String receiver, String sender) {
        return params("sender", sender, "messageId", messageId, "receiver", receiver);
    }

    /** {@code sender/queueId} of each queue {@code GET /queues} lists (one page); no further page. */
    private List<String> queueNames(CourierAdmin operator, Map<String, String> parameters) {
        JsonObject list = json(operator, "/queues", parameters);
        assertThat(list.getBoolean("more")).isFalse();
        return list.getJsonArray("queues").getValuesAs(JsonObject.class).stream()
                .map(q -> q.getString("sender") + "/" + q.getString("queueId")).toList();
    }

    private static JsonObject json(CourierAdmin operator, String path, Map<String, String> parameters) {
        return body(operator.raw("GET", path, parameters));
    }

    private static JsonObject body(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AdminCallFailedAssertion(response);
        }
        return parse(response.body());
    }

    private static String error(HttpResponse<String> response) {
        JsonObject json = parse(response.body());
        return json.get("error") == null || json.get("error").getValueType() == JsonValue.ValueType.NULL ? null
                : json.getString("error");
    }

    private static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static String otherSender() {
        return "OTHER-" + hex(8);
    }

    private static String payload(String id) {
        return "<order xmlns=\"urn:example:orders\"><id>" + id + "</id></order>";
    }

    private TestReceiver receiver(int port) {
        TestReceiver receiver = TestReceiver.start(port);
        receivers.add(receiver);
        return receiver;
    }

    /** A GET of the admin API answered with something other than 200. */
    private static final class AdminCallFailedAssertion extends AssertionError {

        private static final long serialVersionUID = 1L;

        AdminCallFailedAssertion(HttpResponse<String> response) {
            super(response.request().method() + " " + response.request().uri() + ": HTTP " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
