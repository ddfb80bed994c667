package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.Acknowledgement;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.WildFlyProcess;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly Once In Order across a hard crash: the WildFly process is killed with SIGKILL and
 * restarted; every acknowledged message must still be delivered, and per queue the receiver must
 * see the messages in sequence order. Order is judged on first arrivals, as an idempotent receiver
 * sees them: a delivery answered just before the kill and not yet recorded by Courier is sent again.
 */
@ExtendWith(ArquillianExtension.class)
class ExactlyOnceInOrderCrashIT {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceInOrderCrashIT.class.getName());
    private static final String CONTAINER = "crash";
    private static final String DEPLOYMENT = "courier";
    private static final String INTERFACE = "Crash";
    private static final String RECEIVER = "crash";
    private static final int RECEIVER_PORT = 18085;
    /** The crash container does not set courier.delivery.parallel: the default. */
    private static final int DELIVERIES_IN_FLIGHT = 16;
    /** Covers a restart, the transaction recovery of in-doubt receipts and the resends behind them. */
    private static final Duration RESEND_DEADLINE = Duration.ofSeconds(180);

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    private final CourierClient courier = new CourierClient();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startServer() {
        controller.start(CONTAINER);
        deployer.deploy(DEPLOYMENT);
    }

    @AfterEach
    void stopServer() {
        try {
            deployer.undeploy(DEPLOYMENT);
        } finally {
            controller.stop(CONTAINER);
        }
    }

    @Test
    void killUnderLoadKeepsEveryQueueInOrderAndLosesNoAcknowledgedMessage() throws Exception {
        int queues = 10;
        int perQueue = 40;
        String sender = "EOIO-CRASH-" + hex(8);
        Map<String, List<String>> idsByQueue = new LinkedHashMap<>();
        for (int q = 0; q < queues; q++) {
            String queueId = newQueueId();
            idsByQueue.put(queueId, ids(queueId, perQueue));
        }
        List<String> allIds = idsByQueue.values().stream().flatMap(List::stream).toList();
        Map<String, Acknowledgement> acknowledged = new ConcurrentHashMap<>();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch restarted = new CountDownLatch(1);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.delay(Duration.ofMillis(20));
            ExecutorService senders = Executors.newFixedThreadPool(queues);
            try {
                // one sender per queue: the next message only after the acknowledgement of the previous
                List<Future<?>> loops = new ArrayList<>();
                idsByQueue.forEach((queueId, ids) -> loops.add(senders.submit(() -> {
                    for (String id : ids) {
                        acknowledged.put(id, sendInTurn(sender, queueId, id, unknown, killed, restarted));
                    }
                    return null;
                })));
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        acknowledged.size() >= 100 && receiver.delivered() >= 30);

                try {
                    killed.set(true);
                    WildFlyProcess.killHard();
                    LOG.info("killed with " + acknowledged.size() + " acknowledged and " + receiver.delivered()
                            + " delivered");
                    // Arquillian still thinks the killed server runs: without kill(), start() does nothing
                    controller.kill(CONTAINER);
                    controller.start(CONTAINER);
                } finally {
                    restarted.countDown();
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                for (Future<?> loop : loops) {
                    loop.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } finally {
                senders.shutdownNow();
            }

            assertThat(acknowledged).hasSize(allIds.size());
            idsByQueue.forEach((queueId, ids) -> assertThat(ids).as("acknowledged sequences of queue %s", queueId)
                    .extracting(id -> acknowledged.get(id).sequence()).containsExactlyElementsOf(oneTo(perQueue)));
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, allIds));

            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            idsByQueue.forEach((queueId, ids) -> {
                assertThat(ledger.messageIds(sender, queueId)).as("first arrivals of queue %s", queueId)
                        .containsExactlyElementsOf(ids);
                assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                        .containsExactlyElementsOf(oneTo(perQueue));
            });
            long repeats = ledger.repeats(sender);
            LOG.info("kill -9 under in-order load: " + acknowledged.size() + " acknowledged in " + queues
                    + " queues, " + unknown.size() + " unknown at the crash and resent, all delivered in order; "
                    + repeats + " repeated arrivals (POSTed, then killed before the commit): " + ledger.repeated(sender));
            // only deliveries in flight at the moment of the kill can reach the receiver twice
            assertThat(repeats).isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(database.messages(sender)).isEqualTo(allIds.size());
            // the receiver answers before Courier commits DELIVERED: wait for the commit
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveredRows(sender) == allIds.size());
        }
    }

    @Test
    void heldMessagesStayHeldAcrossAKillAndFollowTheirHeadInOrder() throws Exception {
        String sender = "EOIO-HELD-" + hex(8);
        Map<String, List<String>> idsByQueue = new LinkedHashMap<>();
        for (int q = 0; q < 3; q++) {
            String queueId = newQueueId();
            idsByQueue.put(queueId, ids(queueId, 5));
        }
        List<String> allIds = idsByQueue.values().stream().flatMap(List::stream).toList();
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.stop();
            idsByQueue.forEach((queueId, ids) -> {
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    Acknowledgement ack = courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id));
                    assertThat(ack.result()).isEqualTo("ACCEPTED");
                    assertThat(ack.sequence()).isEqualTo(i + 1);
                }
            });
            // every head has failed, its successors wait behind it
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> idsByQueue.values().forEach(ids -> {
                assertThat(delivery(sender, ids.get(0)).attempts()).isGreaterThanOrEqualTo(1);
                for (String id : ids.subList(1, ids.size())) {
                    ReceiverDelivery held = delivery(sender, id);
                    assertThat(held.state()).as("state of %s", id).isEqualTo("HELD");
                    assertThat(held.heldBehind()).as("heldBehind of %s", id).isEqualTo(ids.get(0));
                }
            }));
            assertThat(receiver.total()).isZero();

            WildFlyProcess.killHard();
            receiver.restart();
            controller.kill(CONTAINER);
            controller.start(CONTAINER);

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, allIds));
            ReceiverLedger ledger = ReceiverLedger.of(receiver);
            idsByQueue.forEach((queueId, ids) -> {
                assertThat(ledger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                        .containsExactlyElementsOf(ids);
                assertThat(ledger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                        .containsExactlyElementsOf(oneTo(ids.size()));
            });
            // nothing was answered before the kill: nothing may arrive twice
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    ReceiverLedger.of(receiver).repeats(sender) == 0
                            && ReceiverLedger.of(receiver).delivered().size() == allIds.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveredRows(sender) == allIds.size());
        }
    }

    /**
     * Sends one message of a queue as a real sender does: without an answer (the server died, or
     * a retryable fault) it does not go on with the next message but resends this one with the
     * same id, after the restart if the server was killed, until it is acknowledged.
     */
    private Acknowledgement sendInTurn(String sender, String queueId, String id, Set<String> unknown,
                                       AtomicBoolean killed, CountDownLatch restarted) throws InterruptedException {
        try {
            return courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id));
        } catch (RuntimeException noAnswer) {
            unknown.add(id);
        }
        if (killed.get()) {
            assertThat(restarted.await(5, TimeUnit.MINUTES)).as("server restarted").isTrue();
        }
        AtomicReference<Acknowledgement> ack = new AtomicReference<>();
        await().atMost(RESEND_DEADLINE).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    ack.set(courier.sendInOrder(sender, INTERFACE, id, queueId, order(queueId, id)));
                    return true;
                });
        return ack.get();
    }

    private ReceiverDelivery delivery(String sender, String messageId) {
        return courier.status(sender, messageId).delivery(RECEIVER).orElseThrow(() ->
                new AssertionError("no delivery of " + messageId + " to " + RECEIVER));
    }

    private long deliveredRows(String sender) {
        return database.count("select count(*) from COURIER_DELIVERY d join COURIER_MESSAGE m on d.MESSAGE_KEY = m.ID "
                + "where m.SENDER = ? and d.STATE = 'DELIVERED'", sender);
    }

    /** Q and 8 upper-case hex digits: a valid queue id no other test uses. */
    private static String newQueueId() {
        return "Q" + hex(8);
    }

    private static String hex(int digits) {
        byte[] bytes = new byte[(digits + 1) / 2];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, digits).toUpperCase(Locale.ROOT);
    }

    private static List<String> ids(String queueId, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(queueId + "-" + i);
        }
        return ids;
    }

    private static List<Long> oneTo(int last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    private static String order(String queueId, String id) {
        return "<order xmlns=\"urn:example:orders\"><queue>" + queueId + "</queue><id>" + id + "</id></order>";
    }
}
