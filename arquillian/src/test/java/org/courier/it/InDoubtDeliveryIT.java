package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierAdmin.InDoubtReport;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Non-idempotent receivers, black box: an attempt that may have reached the receiver and has no
 * outcome is in doubt, and is never silently sent again. The receivers {@code fragile} (policy
 * HOLD), {@code fragile-retry} (policy RETRY) and {@code fragile-status} (HOLD, with a status URL)
 * answer within a 2 s timeout or not at all; a request they process and answer only after 4 s is
 * in doubt for Courier.
 *
 * <p>The test server runs with {@code -Dcourier.delivery.max-attempts=5} (quick attempts at about 0,
 * 1, 3, 7 and 15 s), {@code -Dcourier.resend.interval=PT1H} (only the tests start the resend job) and
 * {@code backoff=PT2S}.
 */
@ExtendWith(ArquillianExtension.class)
class InDoubtDeliveryIT {

    private static final String FRAGILE = "fragile";
    private static final String FRAGILE_RETRY = "fragile-retry";
    private static final String FRAGILE_STATUS = "fragile-status";
    private static final String IN_DOUBT = "IN_DOUBT";
    /** Beyond the receivers' 2 s timeout. */
    private static final Duration ANSWER_TOO_LATE = Duration.ofSeconds(4);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How long "nothing more is sent" is watched: longer than the broker's first redelivery delays (1 s, 2 s). */
    private static final Duration QUIET = Duration.ofSeconds(5);

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final ServerMetrics metrics = new ServerMetrics();
    private final List<TestReceiver> receivers = new ArrayList<>();

    private TestReceiver fragile;
    private TestReceiver fragileRetry;
    private TestReceiver fragileStatus;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        fragile = receiver(18088);
        fragileRetry = receiver(18089);
        fragileStatus = receiver(18090);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void anInDoubtHeadIsHeldNotResentAndTheOperatorsDeliveredReleasesItsQueue() {
        String sender = "DOUBT-HOLD-" + hex(8);
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 3);
        String head = ids.get(0);
        fragile.processThenAnswerLate(head, ANSWER_TOO_LATE);
        ids.forEach(id -> assertThat(courier.sendInOrder(sender, "Fragile", id, queueId, order(queueId, id)).result())
                .isEqualTo("ACCEPTED"));

        await().atMost(DEADLINE).until(() -> delivery(sender, head, FRAGILE).state().equals(IN_DOUBT));
        ReceiverDelivery inDoubt = delivery(sender, head, FRAGILE);
        assertThat(inDoubt.lastError()).contains("no answer").contains("within 2 s");
        assertThat(inDoubt.nextAttempt()).as("nobody to ask: nothing is scheduled").isNull();
        // not sent again, and the queue waits behind it
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> fragile.attempts(head) == 1
                && delivery(sender, head, FRAGILE).state().equals(IN_DOUBT));
        assertThat(fragile.total()).isEqualTo(1);
        assertThat(delivery(sender, ids.get(1), FRAGILE).state()).isEqualTo("HELD");
        assertThat(delivery(sender, ids.get(1), FRAGILE).heldBehind()).isEqualTo(head);
        assertThat(admin.queue(sender, queueId).lane(FRAGILE).orElseThrow().state()).isEqualTo("BLOCKED");
        assertThat(inDoubtOf(sender, FRAGILE)).extracting(FailureEntry::messageId).containsExactly(head);
        int held = admin.inDoubt(FRAGILE).held();
        assertThat(metrics.value("courier_deliveries_in_doubt", "receiver", FRAGILE))
                .as("the in-doubt gauge agrees with the admin API").hasValue(held);

        // the operator checked with the receiver: it has the message
        assertThat(admin.declareDelivered(sender, head, FRAGILE)).isEqualTo("DELIVERED");

        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(fragile).deliveredAll(sender, ids));
        assertThat(ReceiverLedger.of(fragile).messageIds(sender, queueId)).containsExactlyElementsOf(ids);
        assertThat(fragile.attempts(head)).as("the in-doubt head was never sent again").isEqualTo(1);
        assertThat(delivery(sender, head, FRAGILE).state()).isEqualTo("DELIVERED");
        assertThat(inDoubtOf(sender, FRAGILE)).isEmpty();
        assertThat(admin.inDoubt(FRAGILE).held()).as("counted while in doubt only").isEqualTo(held - 1);
        assertThat(metrics.value("courier_deliveries_in_doubt", "receiver", FRAGILE)).hasValue(held - 1);
    }

    @Test
    void concurrentInDoubtDeliveriesAreEachHeldOnceAndSettledOneByOne() throws Exception {
        String sender = "DOUBT-MANY-" + hex(8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            fragile.processThenAnswerLate(id, ANSWER_TOO_LATE);
        }
        sendConcurrently(sender, "Fragile", ids);

        await().atMost(DEADLINE).until(() -> inDoubtOf(sender, FRAGILE).size() == ids.size());
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> ids.stream().allMatch(id -> fragile.attempts(id) == 1));
        assertThat(ReceiverLedger.of(fragile).repeats(sender)).isZero();

        // the operator has one sent again (the receiver lost it, say) and declares the others delivered
        String resent = ids.get(0);
        assertThat(admin.resendDelivery(sender, resent, FRAGILE)).isEqualTo("PENDING");
        ids.subList(1, ids.size()).forEach(id -> assertThat(admin.declareDelivered(sender, id, FRAGILE)).isEqualTo("DELIVERED"));

        await().atMost(DEADLINE).until(() -> delivery(sender, resent, FRAGILE).state().equals("DELIVERED"));
        assertThat(fragile.count(resent)).as("the operator's resend").isEqualTo(2);
        assertThat(ids.subList(1, ids.size())).allMatch(id -> fragile.attempts(id) == 1);
        assertThat(inDoubtOf(sender, FRAGILE)).isEmpty();
    }

    @Test
    void aRefusedConnectionIsAPlainFailureRetriedWithoutDoubt() {
        String sender = "DOUBT-REFUSED-" + hex(8);
        String id = UUID.randomUUID().toString();
        fragile.stop();
        assertThat(courier.send(sender, "Fragile", id, order("Q", id)).result()).isEqualTo("ACCEPTED");

        // certainly not received: retried by the broker, never in doubt
        await().atMost(DEADLINE).until(() -> {
            ReceiverDelivery delivery = delivery(sender, id, FRAGILE);
            assertThat(delivery.state()).isNotEqualTo(IN_DOUBT);
            return delivery.attempts() >= 2;
        });
        assertThat(delivery(sender, id, FRAGILE).lastError()).contains("connection refused");
        fragile.restart();

        await().atMost(DEADLINE).until(() -> delivery(sender, id, FRAGILE).state().equals("DELIVERED"));
        assertThat(fragile.count(id)).isEqualTo(1);
        assertThat(inDoubtOf(sender, FRAGILE)).isEmpty();
    }

    @Test
    void theStatusUrlSettlesADoubtAsReceivedWithoutSendingAgain() {
        String sender = "DOUBT-YES-" + hex(8);
        String id = UUID.randomUUID().toString();
        fragileStatus.processThenAnswerLate(id, ANSWER_TOO_LATE);
        assertThat(courier.send(sender, "FragileStatus", id, order("Q", id)).result()).isEqualTo("ACCEPTED");

        await().atMost(DEADLINE).until(() -> delivery(sender, id, FRAGILE_STATUS).state().equals("DELIVERED"));
        assertThat(fragileStatus.attempts(id)).as("asked, not sent again").isEqualTo(1);
        assertThat(fragileStatus.statusChecks()).isPositive();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> fragileStatus.attempts(id) == 1);
    }

    @Test
    void theStatusUrlSettlesADoubtAsNotReceivedAndItIsSentAgain() {
        String sender = "DOUBT-NO-" + hex(8);
        String id = UUID.randomUUID().toString();
        fragileStatus.loseAfter(id, ANSWER_TOO_LATE);
        assertThat(courier.send(sender, "FragileStatus", id, order("Q", id)).result()).isEqualTo("ACCEPTED");

        await().atMost(DEADLINE).until(() -> delivery(sender, id, FRAGILE_STATUS).state().equals("DELIVERED"));
        assertThat(fragileStatus.attempts(id)).as("the lost request and the one sent after the receiver said no")
                .isEqualTo(2);
        assertThat(fragileStatus.count(id)).as("processed").isEqualTo(1);
        assertThat(fragileStatus.arrivalsOf(id).get(0).possibleDuplicate()).as("the receiver said it had not got it")
                .isFalse();
    }

    @Test
    void aStatusUrlThatCannotTellKeepsTheDeliveryInDoubtAndIsAskedAgainOnTheResendSchedule() {
        String sender = "DOUBT-ASK-" + hex(8);
        String id = UUID.randomUUID().toString();
        fragileStatus.answerStatusChecks(503);
        try {
            fragileStatus.processThenAnswerLate(id, ANSWER_TOO_LATE);
            assertThat(courier.send(sender, "FragileStatus", id, order("Q", id)).result()).isEqualTo("ACCEPTED");

            await().atMost(DEADLINE).until(() -> delivery(sender, id, FRAGILE_STATUS).state().equals(IN_DOUBT));
            ReceiverDelivery inDoubt = delivery(sender, id, FRAGILE_STATUS);
            assertThat(inDoubt.lastError()).contains("answered HTTP 503");
            assertThat(inDoubt.nextAttempt()).as("when the status URL is asked again").isNotNull();
            assertThat(fragileStatus.attempts(id)).isEqualTo(1);
        } finally {
            fragileStatus.answerStatusChecks(null);
        }
        // the status URL answers again; the resend job asks it once the delivery is due
        await().atMost(DEADLINE).until(() -> {
            admin.runResend();
            return delivery(sender, id, FRAGILE_STATUS).state().equals("DELIVERED");
        });
        assertThat(fragileStatus.attempts(id)).as("settled by the status URL, not sent again").isEqualTo(1);
    }

    @Test
    void policyRetrySendsAnInDoubtDeliveryAgainMarkedAsAPossibleDuplicate() {
        String sender = "DOUBT-RETRY-" + hex(8);
        String id = UUID.randomUUID().toString();
        long duplicatesBefore = admin.inDoubt(FRAGILE_RETRY).possibleDuplicates();
        fragileRetry.processThenAnswerLate(id, ANSWER_TOO_LATE);
        assertThat(courier.send(sender, "FragileRetry", id, order("Q", id)).result()).isEqualTo("ACCEPTED");

        await().atMost(DEADLINE).until(() -> delivery(sender, id, FRAGILE_RETRY).state().equals("DELIVERED"));
        List<TestReceiver.Arrival> arrivals = fragileRetry.arrivalsOf(id);
        assertThat(arrivals).hasSize(2);
        assertThat(arrivals.get(0).possibleDuplicate()).isFalse();
        assertThat(arrivals.get(1).possibleDuplicate()).as("Courier-Possible-Duplicate on the repeat").isTrue();
        assertThat(delivery(sender, id, FRAGILE_RETRY).possibleDuplicates()).isEqualTo(1);
        InDoubtReport report = admin.inDoubt(FRAGILE_RETRY);
        assertThat(report.possibleDuplicates()).isEqualTo(duplicatesBefore + 1);
        assertThat(metrics.value("courier_possible_duplicates_total", "receiver", FRAGILE_RETRY))
                .as("the possible-duplicates counter").hasValue(report.possibleDuplicates());
        assertThat(report.entries()).noneMatch(e -> sender.equals(e.sender()));
    }

    private ReceiverDelivery delivery(String sender, String messageId, String receiver) {
        return courier.status(sender, messageId).delivery(receiver).orElseThrow(() ->
                new AssertionError("no delivery of " + messageId + " to " + receiver));
    }

    private List<FailureEntry> inDoubtOf(String sender, String receiver) {
        return admin.inDoubt(receiver).entries().stream().filter(e -> sender.equals(e.sender())).toList();
    }

    private void sendConcurrently(String sender, String interfaceName, List<String> ids) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String id : ids) {
                results.add(pool.submit(() -> courier.send(sender, interfaceName, id, order("Q", id)).result()));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("ACCEPTED");
            }
        } finally {
            pool.shutdown();
        }
    }

    private TestReceiver receiver(int port) {
        TestReceiver receiver = TestReceiver.start(port);
        receivers.add(receiver);
        return receiver;
    }
}
