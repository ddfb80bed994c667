package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.AdminQueries.params;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.order;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.AdminQueries.AuditEntry;
import org.courier.it.support.AdminQueries.DeliveryRecord;
import org.courier.it.support.AdminQueries.MessageDetail;
import org.courier.it.support.AdminQueries.MessagePage;
import org.courier.it.support.AdminQueries.MessageSummary;
import org.courier.it.support.AdminQueries.Reconciliation;
import org.courier.it.support.AdminQueries.ReceiverBalance;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.AdminCallFailed;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
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
 * The admin API's read side and its audit, black box: message search by each filter and in
 * pages, one message's detail, the reconciliation of a sender's window after a run with
 * deliveries, failures, cancels and pending ones (and one that is made not to add up), and the
 * audit trail of actions. Routes of the test configuration: {@code Orders} → alpha,
 * {@code Fanout} → alpha and beta, {@code HalfDown} → dead (nothing listens) and beta,
 * {@code Flaky} → flaky, {@code InOrder} → ordered, {@code Mapped} → idoc and as2 (mapped ids),
 * {@code Fragile} → fragile (not idempotent: attempts recorded), {@code OrderLines} → the
 * aggregator order-lines. Each test has its own sender.
 */
@ExtendWith(ArquillianExtension.class)
class AdminApiIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final AdminQueries queries = new AdminQueries(admin);
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final List<TestReceiver> receivers = new ArrayList<>();

    private TestReceiver flaky;
    private TestReceiver fragile;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        for (int port : new int[] {18081, 18082, 18086, 18092, 18093}) {
            receivers.add(TestReceiver.start(port));
        }
        flaky = TestReceiver.start(18083);
        fragile = TestReceiver.start(18088);
        receivers.add(flaky);
        receivers.add(fragile);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void searchFindsMessagesByEachFilterNewestFirst() {
        String sender = newSender();
        String queueId = newQueueId();
        List<String> orders = send(sender, "Orders", 3);
        List<String> fanouts = send(sender, "Fanout", 2);
        String refused = sender + "-refused";
        flaky.answer(refused, 400);
        send(sender, "Flaky", refused);
        List<String> inOrder = List.of(sender + "-q1", sender + "-q2");
        inOrder.forEach(id -> courier.sendInOrder(sender, "InOrder", id, queueId, order(queueId, id)));
        awaitSettled(sender, 8);

        MessagePage all = queries.messages(params("sender", sender));
        assertThat(all.total()).isEqualTo(8);
        assertThat(all.messages()).allSatisfy(m -> assertThat(m.sender()).isEqualTo(sender));
        assertThat(all.messages()).extracting(MessageSummary::acceptedAt)
                .isSortedAccordingTo(Comparator.reverseOrder());

        MessagePage fanout = queries.messages(params("sender", sender, "interface", "Fanout"));
        assertThat(fanout.messageIds()).containsExactlyInAnyOrderElementsOf(fanouts);
        assertThat(fanout.messages()).allSatisfy(m -> assertThat(m.deliveries())
                .extracting(AdminQueries.ReceiverState::receiver).containsExactly("alpha", "beta"));
        assertThat(queries.messages(params("sender", sender, "receiver", "beta")).messageIds())
                .containsExactlyInAnyOrderElementsOf(fanouts);
        assertThat(queries.messages(params("sender", sender, "receiver", "alpha")).messageIds())
                .containsExactlyInAnyOrderElementsOf(concat(orders, fanouts));

        assertThat(queries.messages(params("sender", sender, "status", "ERROR")).messageIds()).containsExactly(refused);
        assertThat(queries.messages(params("sender", sender, "status", "ERROR", "receiver", "alpha")).total()).isZero();
        assertThat(queries.messages(params("sender", sender, "status", "DELIVERED", "receiver", "flaky")).total()).isZero();

        MessagePage queue = queries.messages(params("sender", sender, "queueId", queueId));
        assertThat(queue.messages()).extracting(MessageSummary::messageId, MessageSummary::queueId, MessageSummary::sequence)
                .containsExactlyInAnyOrder(Tuple.tuple(inOrder.get(0), queueId, 1L),
                        Tuple.tuple(inOrder.get(1), queueId, 2L));
        MessageSummary plain = queries.messages(params("messageId", orders.get(0))).messages().get(0);
        assertThat(plain.sender()).isEqualTo(sender);
        assertThat(plain.json().get("queueId")).as("queueId present as null").isEqualTo(JsonValue.NULL);
        assertThat(plain.json().get("sequence")).isEqualTo(JsonValue.NULL);
        assertThat(plain.json().getString("qualityOfService")).isEqualTo("ExactlyOnce");
    }

    @Test
    void badSearchParametersAreRefusedWithAnErrorNamingThem() {
        assertRefused("/messages", params("status", "LOST"), 400, "'status' is not a delivery state");
        assertRefused("/messages", params("size", "501"), 400, "'size' must be from 1 to 500");
        assertRefused("/messages", params("page", "-1"), 400, "'page'");
        assertRefused("/messages", params("from", "yesterday"), 400, "'from' is not an ISO-8601 instant");
        assertRefused("/messages", params("from", "2026-11-22T10:00:00Z", "to", "2026-11-22T09:00:00Z"), 400,
                "'from' must be before 'to'");
        assertRefused("/messages/detail", params("sender", "X"), 400, "'messageId' is required");
        assertRefused("/messages/detail", params("sender", "X", "messageId", "never-" + hex(8)), 404, "no message");
        assertRefused("/reconciliation", params(), 400, "'sender' is required");
        assertRefused("/audit", params("size", "0"), 400, "'size'");
    }

    @Test
    void pagesAddUpWithoutOverlapAndTheTimeWindowIsHalfOpen() {
        String sender = newSender();
        List<String> ids = send(sender, "Orders", 7);

        List<String> paged = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            MessagePage one = queries.messages(params("sender", sender, "page", String.valueOf(page), "size", "3"));
            assertThat(one.total()).isEqualTo(7);
            assertThat(one.messages()).hasSize(page < 2 ? 3 : 1);
            paged.addAll(one.messageIds());
        }
        assertThat(queries.messages(params("sender", sender, "page", "3", "size", "3")).messages()).isEmpty();
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);

        List<MessageSummary> newestFirst = queries.messages(params("sender", sender)).messages();
        Instant from = newestFirst.get(5).acceptedAt();
        Instant to = newestFirst.get(1).acceptedAt();
        Set<String> inWindow = new HashSet<>();
        newestFirst.stream().filter(m -> !m.acceptedAt().isBefore(from) && m.acceptedAt().isBefore(to))
                .forEach(m -> inWindow.add(m.messageId()));
        MessagePage window = queries.messages(params("sender", sender, "from", from.toString(), "to", to.toString()));
        assertThat(window.messageIds()).containsExactlyInAnyOrderElementsOf(inWindow)
                .contains(newestFirst.get(5).messageId())
                .doesNotContain(newestFirst.get(1).messageId());
    }

    @Test
    void detailShowsDeliveriesWithAttemptHistoryAndMappedIds() {
        String sender = newSender();
        String mapped = send(sender, "Mapped", 1).get(0);
        String fragileId = sender + "-fragile";
        fragile.answer(fragileId, 503);
        send(sender, "Fragile", fragileId);
        await().atMost(DEADLINE).until(() -> fragile.attempts(fragileId) >= 1);
        fragile.clearAnswer(fragileId);
        awaitSettled(sender, 2);

        MessageDetail detail = queries.detail(sender, mapped);
        assertThat(detail.interfaceName()).isEqualTo("Mapped");
        assertThat(detail.json().containsKey("payload")).as("the detail holds no payload").isFalse();
        assertThat(detail.payloadBytes()).isEqualTo(payload(mapped).length());
        assertThat(detail.payloadHash()).isNotBlank();
        assertThat(detail.json().getString("acceptedBy")).as("the node that accepted it").isEqualTo("courier-1");
        assertThat(detail.json().getJsonArray("deliveries").getValuesAs(JsonObject.class))
                .allSatisfy(d -> assertThat(d.getString("deliveredBy")).as("the node that delivered it").isEqualTo("courier-1"));
        AdminQueries.Payload payload = queries.payload(sender, mapped);
        assertThat(payload.payload()).isEqualTo(payload(mapped));
        assertThat(payload.payloadHash()).isEqualTo(detail.payloadHash());
        assertThat(detail.deliveries()).extracting(DeliveryRecord::receiver).containsExactly("as2", "idoc");
        assertThat(detail.deliveries()).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo("DELIVERED");
            assertThat(d.targetMessageId()).isNotBlank().isNotEqualTo(mapped);
        });
        assertThat(detail.mappedIds()).extracting(AdminQueries.MappedId::context).containsExactlyInAnyOrder("idoc", "as2");
        assertThat(detail.mappedIds()).allSatisfy(m -> assertThat(m.targetId())
                .isEqualTo(detail.delivery(m.context()).orElseThrow().targetMessageId()));

        DeliveryRecord toFragile = queries.detail(sender, fragileId).delivery("fragile").orElseThrow();
        assertThat(toFragile.state()).isEqualTo("DELIVERED");
        // 503 until the first attempt was seen, then 200: one failed attempt, or two if a retry came in between
        List<AdminQueries.Attempt> history = toFragile.attemptHistory();
        assertThat(history).hasSize(toFragile.attempts()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(history.get(0).outcome()).isEqualTo("FAILED");
        assertThat(history.get(0).detail()).contains("HTTP 503");
        assertThat(history.get(history.size() - 1).outcome()).isEqualTo("DELIVERED");
        assertThat(toFragile.attemptHistory()).allSatisfy(a -> assertThat(a.startedAt()).isNotNull());
    }

    @Test
    void reconciliationAddsUpAfterARunWithFailuresAndCancelsAndListsWhatDoesNot() {
        String sender = newSender();
        Instant from = Instant.now().minusSeconds(1);
        List<String> orders = send(sender, "Orders", 4);
        List<String> halfDown = send(sender, "HalfDown", 3);
        List<String> toFlaky = ids(sender, "Flaky", 5);
        List<String> refused = toFlaky.subList(0, 3);
        refused.forEach(id -> flaky.answer(id, 400));
        toFlaky.forEach(id -> send(sender, "Flaky", id));
        String line = sender + "-line";
        assertThat(courier.send(sender, "OrderLines", line, "<line xmlns=\"urn:example:orders\"><order>" + sender
                + "</order><no>1</no></line>").result()).isEqualTo("ACCEPTED");
        // flaky refuses three for good (ERROR at once); one of those is then cancelled by an operator
        await().atMost(DEADLINE).until(() -> toFlaky.stream().allMatch(id -> flaky.attempts(id) >= 1));
        await().atMost(DEADLINE).until(() -> queries.messages(params("sender", sender, "receiver", "flaky", "status",
                "ERROR")).total() == 3 && queries.messages(params("sender", sender, "receiver", "flaky", "status",
                "DELIVERED")).total() == 2);
        assertThat(admin.cancelDelivery(sender, refused.get(0), "flaky")).isEqualTo("CANCELLED");
        await().atMost(DEADLINE).until(() -> queries.messages(params("sender", sender, "status", "DELIVERED", "receiver",
                "alpha")).total() == 4 && queries.messages(params("sender", sender, "status", "DELIVERED", "receiver",
                "beta")).total() == 3);
        Instant to = Instant.now().plusSeconds(1);

        Reconciliation report = queries.reconciliation(sender, from, to);

        assertThat(report.accepted()).isEqualTo(13);
        assertThat(report.withDeliveries()).isEqualTo(12);
        assertThat(report.aggregated()).isEqualTo(1);
        assertThat(report.withoutDelivery()).isZero();
        assertBalance(report.receiver("alpha"), 4, 4, 0, 0, 0);
        assertBalance(report.receiver("beta"), 3, 3, 0, 0, 0);
        assertBalance(report.receiver("flaky"), 5, 2, 0, 2, 1);
        ReceiverBalance dead = report.receiver("dead");
        assertThat(dead.expected()).isEqualTo(3);
        assertThat(dead.pending() + dead.failed()).as("dead: retried, or in the failure store by now").isEqualTo(3);
        assertThat(report.receivers()).allSatisfy(r -> {
            assertThat(r.placed()).as("buckets of %s", r.receiver()).isEqualTo(r.expected());
            assertThat(r.addsUp()).as("%s adds up", r.receiver()).isTrue();
        });
        assertThat(report.unbalanced()).isEmpty();
        assertThat(report.addsUp()).isTrue();

        // made not to add up: a message loses its only delivery, another its delivery to beta,
        // a third's delivery gets a state this version does not know
        removeDelivery(sender, orders.get(0), "alpha");
        removeDelivery(sender, halfDown.get(0), "beta");
        String parked = orders.get(1);
        setState(sender, parked, "alpha", "PARKED");
        try {
            Reconciliation broken = queries.reconciliation(sender, from, to);

            assertThat(broken.addsUp()).isFalse();
            assertThat(broken.accepted()).isEqualTo(13);
            assertThat(broken.withoutDelivery()).isEqualTo(1);
            assertThat(broken.unbalanced()).extracting(AdminQueries.Unbalanced::messageId, AdminQueries.Unbalanced::receiver)
                    .containsExactlyInAnyOrder(Tuple.tuple(orders.get(0), null),
                            Tuple.tuple(halfDown.get(0), "beta"),
                            Tuple.tuple(parked, "alpha"));
            assertThat(broken.unbalanced()).allSatisfy(u -> assertThat(u.reason()).isNotBlank());
            ReceiverBalance beta = broken.receiver("beta");
            assertThat(beta.expected()).isEqualTo(3);
            assertThat(beta.delivered()).isEqualTo(2);
            assertThat(beta.missing()).isEqualTo(1);
            assertThat(beta.addsUp()).isFalse();
            ReceiverBalance alpha = broken.receiver("alpha");
            assertThat(alpha.expected()).isEqualTo(3);
            assertThat(alpha.delivered()).isEqualTo(2);
            assertThat(alpha.unplaced()).isEqualTo(1);
            assertThat(alpha.addsUp()).isFalse();
            assertThat(broken.receiver("flaky").addsUp()).isTrue();
        } finally {
            setState(sender, parked, "alpha", "DELIVERED");
        }
    }

    @Test
    void adminActionsAndPayloadViewsAreAuditedAndOtherReadsAreNot() {
        Instant from = Instant.now().minusSeconds(1);
        String receiver = "audit-" + hex(8);
        String unknown = "never-" + hex(8);
        assertThat(admin.resendAll(receiver)).isZero();
        AdminCallFailed notFound = catchThrowableOfType(
                () -> admin.cancelDelivery("AUDIT", unknown, receiver), AdminCallFailed.class);
        assertThat(notFound.status()).isEqualTo(404);
        queries.messages(params("sender", "AUDIT", "messageId", unknown));

        List<AuditEntry> entries = queries.audit(params("from", from.toString())).entries().stream()
                .filter(e -> e.parameters() != null && e.parameters().contains(receiver)).toList();

        assertThat(entries).extracting(AuditEntry::action, AuditEntry::parameters, AuditEntry::status, AuditEntry::sender)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("POST /api/delivery/cancel", "sender=AUDIT&messageId=" + unknown + "&receiver=" + receiver,
                                404, "AUDIT"),
                        Tuple.tuple("POST /api/failures/resend-all", "receiver=" + receiver, 200, null));
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo(TestUser.INTEGRATION.name());
            assertThat(e.at()).isAfterOrEqualTo(from.truncatedTo(ChronoUnit.MILLIS));
        });
        assertThat(queries.audit(params("from", from.toString())).entries())
                .noneMatch(e -> e.action().startsWith("GET ") && !e.action().equals("GET /api/messages/payload"));
        String actor = entries.get(0).actor();
        assertThat(queries.audit(params("actor", actor, "from", from.toString())).entries())
                .extracting(AuditEntry::parameters).contains("receiver=" + receiver);
        assertThat(queries.audit(params("actor", "nobody-" + hex(6))).total()).isZero();
    }

    private void assertBalance(ReceiverBalance balance, long expected, long delivered, long pending, long failed,
                               long cancelled) {
        assertThat(balance).extracting(ReceiverBalance::expected, ReceiverBalance::delivered, ReceiverBalance::pending,
                ReceiverBalance::failed, ReceiverBalance::cancelled, ReceiverBalance::inDoubt)
                .as("expected, delivered, pending, failed, cancelled, inDoubt of %s", balance.receiver())
                .containsExactly(expected, delivered, pending, failed, cancelled, 0L);
    }

    private void assertRefused(String path, Map<String, String> parameters, int status, String error) {
        HttpResponse<String> response = queries.raw(path, parameters);
        assertThat(response.statusCode()).as("%s %s: %s", path, parameters, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        assertThat(response.body()).contains("\"error\"").contains(error);
    }

    /** Waits until none of the sender's {@code count} messages has a delivery still PENDING. */
    private void awaitSettled(String sender, int count) {
        await().atMost(DEADLINE).until(() -> {
            MessagePage page = queries.messages(params("sender", sender));
            return page.total() == count && page.messages().stream().flatMap(m -> m.deliveries().stream())
                    .noneMatch(d -> d.state().equals("PENDING") || d.state().equals("HELD"));
        });
    }

    private List<String> send(String sender, String interfaceName, int count) {
        List<String> ids = ids(sender, interfaceName, count);
        ids.forEach(id -> send(sender, interfaceName, id));
        return ids;
    }

    private static List<String> ids(String sender, String interfaceName, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> sender + "-" + interfaceName + "-" + i).toList();
    }

    private void send(String sender, String interfaceName, String id) {
        assertThat(courier.send(sender, interfaceName, id, payload(id)).result()).as("result for %s", id).isEqualTo("ACCEPTED");
    }

    private void removeDelivery(String sender, String messageId, String receiver) {
        assertThat(database.update("DELETE FROM COURIER_DELIVERY WHERE RECEIVER = ? AND MESSAGE_KEY ="
                + " (SELECT ID FROM COURIER_MESSAGE WHERE SENDER = ? AND MESSAGE_ID = ?)", receiver, sender, messageId))
                .isEqualTo(1);
    }

    private void setState(String sender, String messageId, String receiver, String state) {
        assertThat(database.update("UPDATE COURIER_DELIVERY SET STATE = ? WHERE RECEIVER = ? AND MESSAGE_KEY ="
                + " (SELECT ID FROM COURIER_MESSAGE WHERE SENDER = ? AND MESSAGE_ID = ?)", state, receiver, sender, messageId))
                .isEqualTo(1);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String newSender() {
        return "ADM-" + hex(8);
    }

    private static String payload(String id) {
        return "<order xmlns=\"urn:example:orders\"><id>" + id + "</id></order>";
    }
}
