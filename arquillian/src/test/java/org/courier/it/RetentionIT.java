package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.PurgeRunView;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retention purge, black box: messages sent over SOAP, the purge started and followed
 * through the admin API, the database read directly. A cutoff far ahead stands in for the
 * months a real purge waits. Each test has a sender of its own.
 */
@ExtendWith(ArquillianExtension.class)
class RetentionIT {

    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration PURGE_DEADLINE = Duration.ofSeconds(60);

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final List<TestReceiver> receivers = new ArrayList<>();
    private final String sender = "RET-" + UUID.randomUUID().toString().substring(0, 8);

    private TestReceiver alpha;
    private TestReceiver flaky;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        alpha = receiver(18081);
        flaky = receiver(18083);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void purgeRemovesDeliveredMessagesKeepsUndeliveredOnesAndRefusesALateRetry() {
        String delivered = newId();
        courier.send(sender, "Orders", delivered, order(delivered));
        await().atMost(DELIVERY_DEADLINE).until(() -> state(delivered, "alpha").equals("DELIVERED"));
        // flaky stays down for the whole test: its message is never delivered (PENDING, then FAILED)
        flaky.stop();
        String undelivered = newId();
        courier.send(sender, "Flaky", undelivered, order(undelivered));

        PurgeRunView run = purge(Instant.now().plus(Duration.ofDays(1000)));

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.purged()).isGreaterThanOrEqualTo(1);
        assertThat(database.messages(sender, delivered)).isZero();
        assertThat(database.deliveries(sender, delivered)).isZero();
        assertThat(tombstones(delivered)).isEqualTo(1);
        assertThat(database.messages(sender, undelivered)).isEqualTo(1);
        assertThat(database.deliveries(sender, undelivered)).isEqualTo(1);
        assertThat(tombstones(undelivered)).isZero();

        CourierFaultException late = catchThrowableOfType(CourierFaultException.class,
                () -> courier.send(sender, "Orders", delivered, order(delivered)));

        assertThat(late).isNotNull();
        assertThat(late.code()).isEqualTo("MESSAGE_ID_EXPIRED");
        assertThat(late.retryable()).isFalse();
        assertThat(late.reason()).contains(delivered).contains("purged");
        assertThat(database.messages(sender, delivered)).isZero();
        assertThat(tombstones(delivered)).isEqualTo(1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> alpha.count(delivered) == 1);

        String fresh = newId();
        assertThat(courier.send(sender, "Orders", fresh, order(fresh)).result()).isEqualTo("ACCEPTED");
        await().atMost(DELIVERY_DEADLINE).until(() -> alpha.count(fresh) == 1);
    }

    /** Stored call responses are kept for the idempotency window (messages + tombstones, 430 days here). */
    @Test
    void storedCallResponsesExpireWithTheIdempotencyWindow() {
        TestReceiver responder = receiver(18095);
        responder.respondWith(request -> "<quote xmlns=\"urn:example:quotes\"/>");
        courier.call(sender, "IdempotentQuote", "q-1", "<quoteRequest xmlns=\"urn:example:quotes\"/>");
        String calls = "SELECT COUNT(*) FROM COURIER_CALL WHERE SENDER = ?";

        assertThat(purge(Instant.now().plus(Duration.ofDays(400))).status()).isEqualTo("COMPLETED");
        assertThat(database.count(calls, sender)).isEqualTo(1);
        assertThat(courier.call(sender, "IdempotentQuote", "q-1", "<quoteRequest xmlns=\"urn:example:quotes\"/>").replay())
                .isTrue();

        assertThat(purge(Instant.now().plus(Duration.ofDays(431))).status()).isEqualTo("COMPLETED");
        assertThat(database.count(calls, sender)).isZero();
        assertThat(responder.count("q-1")).isEqualTo(1);
    }

    /** A message handed to an aggregator has no delivery of its own: it is purged like a settled one. */
    @Test
    void aggregatedMessagesArePurgedLikeSettledOnes() {
        TestReceiver bundles = receiver(18096);
        String order = AggregatorIT.newOrder();
        for (int line = 1; line <= 10; line++) {
            courier.send(sender, "OrderLines", AggregatorIT.lineId(order, line), AggregatorIT.line(order, line));
        }
        await().atMost(DELIVERY_DEADLINE).until(() -> bundles.delivered() == 1);

        assertThat(purge(Instant.now().plus(Duration.ofDays(1000))).status()).isEqualTo("COMPLETED");

        assertThat(database.messages(sender)).isZero();
        assertThat(tombstones(AggregatorIT.lineId(order, 1))).isEqualTo(1);
        CourierFaultException late = catchThrowableOfType(CourierFaultException.class, () ->
                courier.send(sender, "OrderLines", AggregatorIT.lineId(order, 1), AggregatorIT.line(order, 1)));
        assertThat(late.code()).isEqualTo("MESSAGE_ID_EXPIRED");
    }

    @Test
    void purgeAsOfNowKeepsMessagesWithinTheirRetentionPeriod() {
        String recent = newId();
        courier.send(sender, "Orders", recent, order(recent));
        await().atMost(DELIVERY_DEADLINE).until(() -> state(recent, "alpha").equals("DELIVERED"));

        PurgeRunView run = purge(null);

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.cutoff()).isNotBlank();
        assertThat(database.messages(sender, recent)).isEqualTo(1);
        assertThat(tombstones(recent)).isZero();
        assertThat(courier.send(sender, "Orders", recent, order(recent)).result()).isEqualTo("DUPLICATE");
    }

    @Test
    void badCutoffsAndUnknownRunsAreRefused() {
        HttpResponse<String> badCutoff = admin.raw("POST", "/retention/purge", Map.of("cutoff", "next tuesday"));
        HttpResponse<String> notANumber = admin.raw("GET", "/retention/purge", Map.of("executionId", "x"));
        HttpResponse<String> missing = admin.raw("GET", "/retention/purge", Map.of());
        HttpResponse<String> unknown = admin.raw("GET", "/retention/purge", Map.of("executionId", "987654321"));

        assertThat(badCutoff.statusCode()).isEqualTo(400);
        assertThat(badCutoff.body()).contains("cutoff");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("987654321");
    }

    /** Starts a purge run through the admin API (waiting out one that is still running) and waits for its end. */
    private PurgeRunView purge(Instant cutoff) {
        String asOf = cutoff == null ? null : cutoff.toString();
        AtomicReference<PurgeRunView> started = new AtomicReference<>();
        await().atMost(PURGE_DEADLINE)
                .ignoreExceptionsMatching(e -> e instanceof CourierAdmin.AdminCallFailed refused && refused.status() == 409)
                .until(() -> {
                    started.set(admin.startPurge(asOf));
                    return true;
                });
        long executionId = started.get().executionId();
        AtomicReference<PurgeRunView> ended = new AtomicReference<>();
        await().atMost(PURGE_DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            ended.set(admin.purgeRun(executionId));
            return ended.get().isOver();
        });
        return ended.get();
    }

    private long tombstones(String messageId) {
        return database.count("select count(*) from COURIER_TOMBSTONE where SENDER = ? and MESSAGE_ID = ?", sender, messageId);
    }

    private String state(String messageId, String receiver) {
        return courier.status(sender, messageId).delivery(receiver).map(CourierClient.ReceiverDelivery::state).orElse("");
    }

    private TestReceiver receiver(int port) {
        TestReceiver receiver = TestReceiver.start(port);
        receivers.add(receiver);
        return receiver;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static String order(String id) {
        return "<order xmlns=\"urn:example:orders\"><id>" + id + "</id><amount>42.00</amount></order>";
    }
}
