package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;
import static org.courier.it.support.InOrderTestData.order;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.courier.it.support.CourierAdmin.AdminCallFailed;
import org.courier.it.support.CourierAdmin.LaneView;
import org.courier.it.support.CourierAdmin.QueueView;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient.Acknowledgement;
import org.courier.it.support.CourierClient.MessageStatus;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
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
 * Exactly Once In Order end to end, black box: per (sender, queue id) every receiver gets the
 * messages in the order Courier accepted them, a failing message holds only its own queue's
 * successors to that receiver, and an operator can resend or cancel a failed head.
 *
 * <p>The test server runs with {@code -Dcourier.delivery.parallel=4} and
 * {@code -Dcourier.delivery.max-attempts=5}: a failing delivery is tried at about 0, 1, 3, 7 and
 * 15 s and then FAILED. Each test uses its own sender and queue ids.
 */
@ExtendWith(ArquillianExtension.class)
class ExactlyOnceInOrderIT {

    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);
    /** Long enough for a head's five attempts (~15 s) on a slow machine. */
    private static final Duration ATTEMPTS_RUN_OUT_DEADLINE = Duration.ofSeconds(60);
    private static final Duration LOAD_DEADLINE = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS = 5;
    private static final String IN_ORDER = "InOrder";
    private static final String IN_ORDER_PAIR = "InOrderPair";
    private static final String ORDERED = "ordered";
    private static final String ORDERED_B = "ordered-b";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final List<TestReceiver> receivers = new ArrayList<>();

    private TestReceiver ordered;
    private TestReceiver orderedB;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        ordered = receiver(18086);
        orderedB = receiver(18087);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void fiftyQueuesOfFortyMessagesArriveInOrderPerQueueAndInParallelAcrossQueues() throws Exception {
        int queues = 50;
        // 2 000 messages in all: the order per queue and the overlap across queues show at 40 a queue as
        // at 100 (the test's 5 000 of before took about a minute a pass; volume is the benchmark's and the
        // crash suites' business)
        int perQueue = 40;
        String sender = newSender();
        ordered.delay(Duration.ofMillis(5));
        Map<String, List<String>> idsByQueue = new LinkedHashMap<>();
        for (int q = 0; q < queues; q++) {
            String queueId = newQueueId();
            idsByQueue.put(queueId, ids(queueId, perQueue));
        }
        List<String> allIds = idsByQueue.values().stream().flatMap(List::stream).toList();

        // one sender thread per queue, each sending its next message only after the acknowledgement
        Map<String, List<Acknowledgement>> acksByQueue = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(queues);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Map<String, Future<List<Acknowledgement>>> sending = new LinkedHashMap<>();
            idsByQueue.forEach((queueId, ids) -> sending.put(queueId, pool.submit(() -> {
                start.await();
                List<Acknowledgement> acks = new ArrayList<>();
                for (String id : ids) {
                    acks.add(sendUntilAcknowledged(() ->
                            courier.sendInOrder(sender, IN_ORDER, id, queueId, order(queueId, id))));
                }
                return acks;
            })));
            start.countDown();
            long deadline = System.nanoTime() + LOAD_DEADLINE.toNanos();
            for (Map.Entry<String, Future<List<Acknowledgement>>> queue : sending.entrySet()) {
                acksByQueue.put(queue.getKey(),
                        queue.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        acksByQueue.forEach((queueId, acks) -> {
            assertThat(acks).as("acknowledgements of queue %s", queueId)
                    .allSatisfy(ack -> assertThat(ack.queueId()).isEqualTo(queueId))
                    .extracting(Acknowledgement::sequence).containsExactlyElementsOf(oneTo(perQueue));
            assertThat(acks).extracting(Acknowledgement::messageId).containsExactlyElementsOf(idsByQueue.get(queueId));
        });
        await().atMost(LOAD_DEADLINE).pollInterval(Duration.ofSeconds(1))
                .until(() -> ReceiverLedger.of(ordered).deliveredAll(sender, allIds));
        ReceiverLedger ledger = ReceiverLedger.of(ordered);
        idsByQueue.forEach((queueId, ids) -> {
            assertThat(ledger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                    .containsExactlyElementsOf(ids);
            assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                    .containsExactlyElementsOf(oneTo(perQueue));
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                ReceiverLedger.of(ordered).delivered().size() == allIds.size());
        assertThat(ReceiverLedger.of(ordered).repeats(sender)).as("messages delivered more than once").isZero();
        // queues do not wait for each other: deliveries of different queues overlapped, up to the limit
        assertThat(ordered.maxConcurrent()).as("most deliveries at once (courier.delivery.parallel=4)")
                .isBetween(2, 4);
    }

    @Test
    void failingMessageHoldsItsSuccessorsWhileAnotherQueueOfTheSameReceiverFlows() {
        String sender = newSender();
        String queueA = newQueueId();
        String queueB = newQueueId();
        List<String> idsA = ids(queueA, 6);
        List<String> idsB = ids(queueB, 6);
        String head = idsA.get(2);
        List<String> successors = idsA.subList(3, 6);
        ordered.answer(head, 500);

        sendInOrder(sender, IN_ORDER, queueA, idsA);
        sendInOrder(sender, IN_ORDER, queueB, idsB);

        await().atMost(DELIVERY_DEADLINE).until(() -> attempts(sender, head, ORDERED) >= 2);
        // from here the test must be done with the failing head before its 5th attempt (~15 s)
        ReceiverDelivery failing = delivery(sender, head, ORDERED);
        assertThat(failing.state()).isEqualTo("PENDING");
        assertThat(failing.lastError()).contains("HTTP 500");
        assertHeldBehind(sender, successors, ORDERED, head);
        LaneView lane = admin.queue(sender, queueA).lane(ORDERED).orElseThrow();
        assertThat(lane.state()).isEqualTo("BLOCKED");
        assertThat(lane.held()).isEqualTo(successors.size());
        assertThat(lane.head()).isNotNull();
        assertThat(lane.head().messageId()).isEqualTo(head);
        assertThat(lane.head().sequence()).isEqualTo(3);
        assertThat(lane.head().attempts()).isGreaterThanOrEqualTo(2);
        assertThat(lane.head().lastError()).contains("HTTP 500");
        // the other queue does not wait for the failing one
        await().atMost(Duration.ofSeconds(10)).until(() -> ReceiverLedger.of(ordered).deliveredAll(sender, idsB));
        assertThat(ordered.count(head)).isZero();
        assertThat(successors).allSatisfy(id -> assertThat(ordered.attempts(id)).as("requests for %s", id).isZero());

        ordered.clearAnswer(head);

        awaitDeliveredInOrder(ordered, sender, queueA, idsA, oneTo(6));
        assertDeliveredInOrder(ordered, sender, queueB, idsB, oneTo(6));
        assertEachDeliveredOnce(ordered, sender, concat(idsA, idsB));
        await().atMost(DELIVERY_DEADLINE).untilAsserted(() -> assertThat(idsA).allSatisfy(id -> {
            ReceiverDelivery delivered = delivery(sender, id, ORDERED);
            assertThat(delivered.state()).as("state of %s", id).isEqualTo("DELIVERED");
            assertThat(delivered.heldBehind()).as("heldBehind of %s", id).isNull();
        }));
        await().atMost(DELIVERY_DEADLINE).untilAsserted(() -> {
            LaneView idle = admin.queue(sender, queueA).lane(ORDERED).orElseThrow();
            assertThat(idle.state()).isEqualTo("IDLE");
            assertThat(idle.head()).isNull();
            assertThat(idle.held()).isZero();
        });
    }

    @Test
    void receiverThatFailsDoesNotHoldUpTheOtherReceiverOfTheQueue() {
        String sender = newSender();
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 5);
        orderedB.answer(500);

        sendInOrder(sender, IN_ORDER_PAIR, queueId, ids);

        awaitDeliveredInOrder(ordered, sender, queueId, ids, oneTo(5));
        await().atMost(DELIVERY_DEADLINE).until(() -> attempts(sender, ids.get(0), ORDERED_B) >= 1);
        // from here the test must be done with ordered-b's failing head before its 5th attempt (~15 s)
        assertThat(ReceiverLedger.of(orderedB).deliveredIds(sender)).isEmpty();
        assertThat(delivery(sender, ids.get(0), ORDERED_B).state()).isEqualTo("PENDING");
        assertHeldBehind(sender, ids.subList(1, 5), ORDERED_B, ids.get(0));
        assertThat(ids).allSatisfy(id -> assertThat(delivery(sender, id, ORDERED).state()).isEqualTo("DELIVERED"));

        orderedB.answer(200);

        awaitDeliveredInOrder(orderedB, sender, queueId, ids, oneTo(5));
        assertEachDeliveredOnce(ordered, sender, ids);
        assertEachDeliveredOnce(orderedB, sender, ids);
    }

    @Test
    void cancelledHeadIsNeverDeliveredAndReleasesItsSuccessorsInOrder() {
        String sender = newSender();
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 5);
        String head = ids.get(1);
        ordered.answer(head, 500);

        sendInOrder(sender, IN_ORDER, queueId, ids);
        // right after an attempt: the next one is about 2 s away, so none is in flight while cancelling
        await().atMost(DELIVERY_DEADLINE).until(() -> attempts(sender, head, ORDERED) >= 2);
        assertHeldBehind(sender, ids.subList(2, 5), ORDERED, head);

        QueueView afterCancel = admin.cancelHead(sender, queueId, ORDERED);
        // from now on a POST of the cancelled message would be answered 2xx: none may come
        ordered.clearAnswer(head);

        assertThat(afterCancel.queueId()).isEqualTo(queueId);
        assertThat(afterCancel.lane(ORDERED)).hasValueSatisfying(lane -> assertThat(
                lane.head() == null || !head.equals(lane.head().messageId())).as("cancelled head left the lane").isTrue());
        List<String> rest = List.of(ids.get(0), ids.get(2), ids.get(3), ids.get(4));
        awaitDeliveredInOrder(ordered, sender, queueId, rest, List.of(1L, 3L, 4L, 5L));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> ordered.count(head) == 0);
        assertEachDeliveredOnce(ordered, sender, rest);
        ReceiverDelivery cancelled = delivery(sender, head, ORDERED);
        assertThat(cancelled.state()).isEqualTo("CANCELLED");
        assertThat(cancelled.deliveredAt()).isNull();
        // nothing left to cancel
        await().atMost(DELIVERY_DEADLINE).until(() ->
                admin.queue(sender, queueId).lane(ORDERED).map(l -> l.head() == null).orElse(false));
        AdminCallFailed noHead = catchThrowableOfType(AdminCallFailed.class,
                () -> admin.cancelHead(sender, queueId, ORDERED));
        assertThat(noHead).as("cancel-head without a head").isNotNull();
        assertThat(noHead.status()).isEqualTo(404);
        assertThat(noHead.error()).isNotBlank();
    }

    @Test
    void headWhoseAttemptsRunOutIsSkippedWithSkipPolicyAndBlocksWithTheDefaultUntilResent() {
        String sender = newSender();
        String skipping = newQueueId();
        String blocking = newQueueId();
        List<String> skipIds = ids(skipping, 4);
        List<String> blockIds = ids(blocking, 4);
        String skipHead = skipIds.get(1);
        String blockHead = blockIds.get(1);
        // a queue comes into being with its first message; the policy is set before the one that fails
        sendInOrder(sender, IN_ORDER, skipping, skipIds.subList(0, 1));
        sendInOrder(sender, IN_ORDER, blocking, blockIds.subList(0, 1));
        QueueView skipView = admin.policy(sender, skipping, CourierAdmin.SKIP);
        assertThat(skipView.policy()).isEqualTo(CourierAdmin.SKIP);
        assertThat(admin.queue(sender, skipping).policy()).isEqualTo(CourierAdmin.SKIP);
        assertThat(admin.queue(sender, blocking).policy()).as("default policy").isEqualTo(CourierAdmin.BLOCK);
        ordered.answer(skipHead, 500);
        ordered.answer(blockHead, 500);

        sendInOrder(sender, IN_ORDER, skipping, skipIds.subList(1, 4), 2);
        sendInOrder(sender, IN_ORDER, blocking, blockIds.subList(1, 4), 2);

        // while attempts are left the head is PENDING, and only a FAILED head can be resent
        await().atMost(DELIVERY_DEADLINE).until(() -> attempts(sender, blockHead, ORDERED) >= 1);
        AdminCallFailed early = catchThrowableOfType(AdminCallFailed.class,
                () -> admin.resendHead(sender, blocking, ORDERED));
        assertThat(early).as("resend-head of a PENDING head").isNotNull();
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.error()).isNotBlank();

        // five attempts at about 0, 1, 3, 7 and 15 s
        await().atMost(ATTEMPTS_RUN_OUT_DEADLINE).until(() ->
                state(sender, skipHead, ORDERED).equals("FAILED") && state(sender, blockHead, ORDERED).equals("FAILED"));

        // SKIP: the queue went on without its failed head
        List<String> skipRest = List.of(skipIds.get(0), skipIds.get(2), skipIds.get(3));
        awaitDeliveredInOrder(ordered, sender, skipping, skipRest, List.of(1L, 3L, 4L));
        assertThat(delivery(sender, skipHead, ORDERED).attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(ordered.attempts(skipHead)).as("requests for the skipped head").isEqualTo(MAX_ATTEMPTS);

        // BLOCK: the failed head stays and its successors wait behind it
        ReceiverDelivery failed = delivery(sender, blockHead, ORDERED);
        assertThat(failed.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(failed.lastError()).contains("HTTP 500");
        assertHeldBehind(sender, blockIds.subList(2, 4), ORDERED, blockHead);
        LaneView blocked = admin.queue(sender, blocking).lane(ORDERED).orElseThrow();
        assertThat(blocked.state()).isEqualTo("BLOCKED");
        assertThat(blocked.held()).isEqualTo(2);
        assertThat(blocked.head()).isNotNull();
        assertThat(blocked.head().messageId()).isEqualTo(blockHead);
        assertThat(blocked.head().sequence()).isEqualTo(2);
        assertThat(blocked.head().state()).isEqualTo("FAILED");
        assertThat(blocked.head().attempts()).isEqualTo(MAX_ATTEMPTS);
        // a FAILED head is not tried again by itself, and nothing goes out past it
        ordered.clearAnswer(skipHead);
        ordered.clearAnswer(blockHead);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                ordered.attempts(blockHead) == MAX_ATTEMPTS && ordered.attempts(skipHead) == MAX_ATTEMPTS
                        && ordered.attempts(blockIds.get(2)) == 0 && ordered.attempts(blockIds.get(3)) == 0);

        QueueView resent = admin.resendHead(sender, blocking, ORDERED);

        assertThat(resent.queueId()).isEqualTo(blocking);
        assertThat(resent.policy()).isEqualTo(CourierAdmin.BLOCK);
        awaitDeliveredInOrder(ordered, sender, blocking, blockIds, oneTo(4));
        assertEachDeliveredOnce(ordered, sender, concat(blockIds, skipRest));
        assertThat(delivery(sender, blockHead, ORDERED).state()).isEqualTo("DELIVERED");
        assertThat(delivery(sender, skipHead, ORDERED).state()).isEqualTo("FAILED");
        assertThat(ordered.count(skipHead)).as("deliveries of the skipped head").isZero();
    }

    @Test
    void invalidOrMissingQueueIdIsRejectedAndNothingStored() {
        String sender = newSender();
        long messagesBefore = database.messagesTotal();
        long deliveriesBefore = database.deliveriesTotal();

        for (String queueId : List.of("Q".repeat(17), "orders", "Q 1", "", "Q-1", "Q.1")) {
            CourierFaultException fault = sendExpectingFault(sender, CourierClient.EXACTLY_ONCE_IN_ORDER, queueId);
            assertThat(fault.code()).as("code for queue id '%s'", queueId).isEqualTo("INVALID_REQUEST");
            assertThat(fault.retryable()).isFalse();
            assertThat(fault.reason()).contains("queueId");
        }
        CourierFaultException missing = sendExpectingFault(sender, CourierClient.EXACTLY_ONCE_IN_ORDER, null);
        assertThat(missing.code()).isEqualTo("INVALID_REQUEST");
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.reason()).contains("queueId");
        CourierFaultException stray = sendExpectingFault(sender, CourierClient.EXACTLY_ONCE, "Q1");
        assertThat(stray.code()).isEqualTo("INVALID_REQUEST");
        assertThat(stray.reason()).contains("queueId");
        assertThat(sendExpectingFault(sender, "BestEffort", null).code()).isEqualTo("NOT_SUPPORTED");

        assertThat(database.messagesTotal()).as("messages stored").isEqualTo(messagesBefore);
        assertThat(database.deliveriesTotal()).as("deliveries stored").isEqualTo(deliveriesBefore);
    }

    @Test
    void queueIdOfSixteenCharactersWithSlashAndUnderscoreIsAcceptedAndShownByTheAdminApi() {
        String sender = newSender();
        String queueId = ("Q_/" + hex(8) + hex(8)).substring(0, 16);
        String id = queueId + "-1";

        Acknowledgement ack = courier.sendInOrder(sender, IN_ORDER, id, queueId, order(queueId, id));

        assertThat(ack.result()).isEqualTo("ACCEPTED");
        assertThat(ack.queueId()).isEqualTo(queueId);
        assertThat(ack.sequence()).isEqualTo(1);
        awaitDeliveredInOrder(ordered, sender, queueId, List.of(id), List.of(1L));
        MessageStatus status = courier.status(sender, id);
        assertThat(status.qualityOfService()).isEqualTo(CourierClient.EXACTLY_ONCE_IN_ORDER);
        assertThat(status.queueId()).isEqualTo(queueId);
        assertThat(status.sequence()).isEqualTo(1);
        await().atMost(DELIVERY_DEADLINE).untilAsserted(() -> {
            QueueView queue = admin.queue(sender, queueId);
            assertThat(queue.sender()).isEqualTo(sender);
            assertThat(queue.queueId()).isEqualTo(queueId);
            assertThat(queue.policy()).isEqualTo(CourierAdmin.BLOCK);
            assertThat(queue.lastSequence()).isEqualTo(1);
            assertThat(queue.lanes()).extracting(LaneView::receiver).containsExactly(ORDERED);
            LaneView lane = queue.lane(ORDERED).orElseThrow();
            assertThat(lane.state()).isEqualTo("IDLE");
            assertThat(lane.head()).isNull();
            assertThat(lane.held()).isZero();
        });
    }

    @Test
    void adminApiAnswersUnknownQueuesAndBadRequestsWithAnError() {
        String sender = newSender();
        String queueId = newQueueId();
        String id = queueId + "-1";
        sendInOrder(sender, IN_ORDER, queueId, List.of(id));
        awaitDeliveredInOrder(ordered, sender, queueId, List.of(id), List.of(1L));

        assertAdminError(() -> admin.queue(sender, newQueueId()), 404);
        assertAdminError(() -> admin.queue("NO-SUCH-SENDER-" + hex(8), queueId), 404);
        AdminCallFailed badPolicy = catchThrowableOfType(AdminCallFailed.class,
                () -> admin.policy(sender, queueId, "SOMETIMES"));
        assertThat(badPolicy).as("an unknown policy").isNotNull();
        assertThat(badPolicy.status()).as(badPolicy.getMessage()).isEqualTo(400);
        assertThat(admin.queue(sender, queueId).policy()).isEqualTo(CourierAdmin.BLOCK);
        assertAdminError(() -> admin.resendHead(sender, queueId, "no-such-receiver"), 404);
        assertAdminError(() -> admin.cancelHead(sender, newQueueId(), ORDERED), 404);
        await().atMost(DELIVERY_DEADLINE).until(() ->
                admin.queue(sender, queueId).lane(ORDERED).map(l -> l.head() == null).orElse(false));
        assertAdminError(() -> admin.resendHead(sender, queueId, ORDERED), 404);
        assertAdminError(() -> admin.cancelHead(sender, queueId, ORDERED), 404);
    }

    @Test
    void duplicateOfAnInOrderMessageRepeatsItsSequenceAndIsNotDeliveredAgain() {
        String sender = newSender();
        String queueId = newQueueId();
        List<String> ids = ids(queueId, 4);
        List<Acknowledgement> acks = sendInOrder(sender, IN_ORDER, queueId, ids.subList(0, 3));

        Acknowledgement duplicate = courier.sendInOrder(sender, IN_ORDER, ids.get(1), queueId, order(queueId, ids.get(1)));
        Acknowledgement next = courier.sendInOrder(sender, IN_ORDER, ids.get(3), queueId, order(queueId, ids.get(3)));

        assertThat(duplicate.result()).isEqualTo("DUPLICATE");
        assertThat(duplicate.messageId()).isEqualTo(ids.get(1));
        assertThat(duplicate.queueId()).isEqualTo(queueId);
        assertThat(duplicate.sequence()).isEqualTo(2);
        assertThat(duplicate.acceptedAt()).isEqualTo(acks.get(1).acceptedAt());
        assertThat(next.result()).as("a duplicate takes no sequence").isEqualTo("ACCEPTED");
        assertThat(next.sequence()).isEqualTo(4);
        awaitDeliveredInOrder(ordered, sender, queueId, ids, oneTo(4));
        assertEachDeliveredOnce(ordered, sender, ids);
        assertThat(database.messages(sender)).isEqualTo(4);
        assertThat(database.deliveries(sender, ids.get(1))).isEqualTo(1);
        TestReceiver.Arrival arrival = ordered.arrivalsOf(ids.get(1)).get(0);
        assertThat(arrival.sender()).isEqualTo(sender);
        assertThat(arrival.interfaceName()).isEqualTo(IN_ORDER);
        assertThat(arrival.queueId()).isEqualTo(queueId);
        assertThat(arrival.sequence()).isEqualTo(2);
        assertThat(arrival.body()).contains(ids.get(1));
    }

    // --- sending

    /** Sends the ids one after the other; each must be acknowledged with the next sequence from 1. */
    private List<Acknowledgement> sendInOrder(String sender, String interfaceName, String queueId, List<String> ids) {
        return sendInOrder(sender, interfaceName, queueId, ids, 1);
    }

    /** Sends the ids one after the other; each must be acknowledged with the next sequence from {@code first}. */
    private List<Acknowledgement> sendInOrder(String sender, String interfaceName, String queueId, List<String> ids,
                                              long first) {
        List<Acknowledgement> acks = new ArrayList<>();
        for (String id : ids) {
            Acknowledgement ack = sendUntilAcknowledged(() ->
                    courier.sendInOrder(sender, interfaceName, id, queueId, order(queueId, id)));
            assertThat(ack.result()).as("result for %s", id).isEqualTo("ACCEPTED");
            assertThat(ack.queueId()).as("queueId for %s", id).isEqualTo(queueId);
            assertThat(ack.sequence()).as("sequence of %s", id).isEqualTo(first + acks.size());
            acks.add(ack);
        }
        return acks;
    }

    /**
     * Sends; on a retryable fault or an I/O error (no answer: maybe stored, maybe not) sends the
     * same request again, as a sender must, until it is acknowledged.
     */
    private static Acknowledgement sendUntilAcknowledged(Callable<Acknowledgement> send) {
        try {
            return send.call();
        } catch (Exception e) {
            if (!isWorthRetrying(e)) {
                throw asRuntime(e);
            }
        }
        AtomicReference<Acknowledgement> ack = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInSameThread()
                .pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(ExactlyOnceInOrderIT::isWorthRetrying)
                .until(() -> {
                    ack.set(send.call());
                    return true;
                });
        return ack.get();
    }

    private static boolean isWorthRetrying(Throwable e) {
        return e instanceof UncheckedIOException
                || e instanceof CourierFaultException fault && fault.retryable();
    }

    private static RuntimeException asRuntime(Exception e) {
        return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }

    private CourierFaultException sendExpectingFault(String sender, String qos, String queueId) {
        String id = newQueueId() + "-x";
        CourierFaultException fault = catchThrowableOfType(CourierFaultException.class,
                () -> courier.send(sender, IN_ORDER, id, qos, queueId, order(String.valueOf(queueId), id)));
        assertThat(fault).as("a CourierFault for %s with queue id '%s'", qos, queueId).isNotNull();
        return fault;
    }

    // --- what Courier reports

    private ReceiverDelivery delivery(String sender, String messageId, String receiver) {
        return courier.status(sender, messageId).delivery(receiver).orElseThrow(() ->
                new AssertionError("no delivery of " + messageId + " to " + receiver));
    }

    private int attempts(String sender, String messageId, String receiver) {
        return courier.status(sender, messageId).delivery(receiver).map(ReceiverDelivery::attempts).orElse(0);
    }

    private String state(String sender, String messageId, String receiver) {
        return courier.status(sender, messageId).delivery(receiver).map(ReceiverDelivery::state).orElse("");
    }

    private void assertHeldBehind(String sender, List<String> ids, String receiver, String head) {
        assertThat(ids).allSatisfy(id -> {
            ReceiverDelivery held = delivery(sender, id, receiver);
            assertThat(held.state()).as("state of %s to %s", id, receiver).isEqualTo("HELD");
            assertThat(held.heldBehind()).as("heldBehind of %s to %s", id, receiver).isEqualTo(head);
            assertThat(held.deliveredAt()).isNull();
        });
    }

    /** The call fails with this status and a JSON body {@code {"error": "..."}}. */
    private static void assertAdminError(Runnable call, int status) {
        AdminCallFailed failed = catchThrowableOfType(AdminCallFailed.class, call::run);
        assertThat(failed).as("an admin error %s", status).isNotNull();
        assertThat(failed.status()).as(failed.getMessage()).isEqualTo(status);
        assertThat(failed.error()).as("error of %s", failed.getMessage()).isNotBlank();
    }

    // --- what the receivers got

    /** Waits until all ids arrived, then checks they arrived in this order with these sequences. */
    private static void awaitDeliveredInOrder(TestReceiver receiver, String sender, String queueId, List<String> ids,
                                              List<Long> sequences) {
        await().atMost(DELIVERY_DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
        assertDeliveredInOrder(receiver, sender, queueId, ids, sequences);
    }

    private static void assertDeliveredInOrder(TestReceiver receiver, String sender, String queueId, List<String> ids,
                                               List<Long> sequences) {
        ReceiverLedger ledger = ReceiverLedger.of(receiver);
        assertThat(ledger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                .containsExactlyElementsOf(ids);
        assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                .containsExactlyElementsOf(sequences);
    }

    /** Holds for a while: a redelivery would show up within this time. */
    private static void assertEachDeliveredOnce(TestReceiver receiver, String sender, List<String> ids) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> {
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            return ids.stream().allMatch(id -> ledger.deliveries(sender, id) == 1);
        });
    }

    // --- test data

    private TestReceiver receiver(int port) {
        TestReceiver receiver = TestReceiver.start(port);
        receivers.add(receiver);
        return receiver;
    }

    private static String newSender() {
        return "EOIO-" + hex(8);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }
}
