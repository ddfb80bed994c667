package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.Acknowledgement;
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
 * Exactly Once end to end, black box: SOAP in, HTTP out to real receivers started here,
 * against the real EAR on a real WildFly.
 */
@ExtendWith(ArquillianExtension.class)
class ExactlyOnceDeliveryIT {

    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);

    private final CourierClient courier = new CourierClient();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final List<TestReceiver> receivers = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        alpha = receiver(18081);
        beta = receiver(18082);
        flaky = receiver(18083);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    private TestReceiver alpha;
    private TestReceiver beta;
    private TestReceiver flaky;

    @Test
    void messageSentOnceIsDeliveredOnceAndReportedDelivered() {
        String id = newId();

        Acknowledgement ack = courier.send("ERP", "Orders", id, order(id));

        assertThat(ack.result()).isEqualTo("ACCEPTED");
        assertThat(ack.messageId()).isEqualTo(id);
        await().atMost(DELIVERY_DEADLINE).until(() -> alpha.count(id) == 1);
        TestReceiver.Arrival arrival = alpha.arrivalsOf(id).get(0);
        assertThat(arrival.sender()).isEqualTo("ERP");
        assertThat(arrival.interfaceName()).isEqualTo("Orders");
        assertThat(arrival.body()).contains("<order").contains(id);
        await().atMost(DELIVERY_DEADLINE).until(() ->
                courier.status("ERP", id).delivery("alpha").map(d -> d.state().equals("DELIVERED")).orElse(false));
        assertThat(database.messages("ERP", id)).isEqualTo(1);
    }

    @Test
    void sameIdSentFiveTimesIsDeliveredOnceWithEqualAcknowledgements() {
        String id = newId();

        List<Acknowledgement> acks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acks.add(courier.send("ERP", "Orders", id, order(id)));
        }

        assertThat(acks.get(0).result()).isEqualTo("ACCEPTED");
        assertThat(acks.subList(1, 5)).allSatisfy(ack -> {
            assertThat(ack.result()).isEqualTo("DUPLICATE");
            assertThat(ack.acceptedAt()).isEqualTo(acks.get(0).acceptedAt());
            assertThat(ack.messageId()).isEqualTo(id);
        });
        await().atMost(DELIVERY_DEADLINE).until(() -> alpha.count(id) == 1);
        assertDeliveredOnlyOnce(alpha, id);
        assertThat(database.messages("ERP", id)).isEqualTo(1);
        assertThat(database.deliveries("ERP", id)).isEqualTo(1);
    }

    @Test
    void thirtyTwoConcurrentSendsOfOneIdAreAcceptedOnceAndDeliveredOnce() throws Exception {
        String id = newId();
        int senders = 32;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Acknowledgement>> results = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return sendUntilAcknowledged(() -> courier.send("ERP", "Orders", id, order(id)));
                }));
            }
            start.countDown();
            List<Acknowledgement> acks = new ArrayList<>();
            for (Future<Acknowledgement> result : results) {
                acks.add(result.get());
            }

            assertThat(acks).filteredOn(a -> a.result().equals("ACCEPTED")).hasSize(1);
            assertThat(acks).filteredOn(a -> a.result().equals("DUPLICATE")).hasSize(senders - 1);
            assertThat(acks).extracting(Acknowledgement::acceptedAt).containsOnly(acks.get(0).acceptedAt());
        } finally {
            pool.shutdownNow();
        }
        await().atMost(DELIVERY_DEADLINE).until(() -> alpha.count(id) == 1);
        assertDeliveredOnlyOnce(alpha, id);
        assertThat(database.messages("ERP", id)).isEqualTo(1);
        assertThat(database.deliveries("ERP", id)).isEqualTo(1);
    }

    @Test
    void manyDifferentMessagesFromConcurrentSendersAreEachDeliveredOnce() throws Exception {
        int senders = 8;
        int perSender = 25;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<String> ids = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < perSender; i++) {
                    mine.add(newId());
                }
                ids.addAll(mine);
                done.add(pool.submit(() -> {
                    for (String id : mine) {
                        sendUntilAcknowledged(() -> courier.send("LOAD", "Orders", id, order(id)));
                        // a sender's retry after a lost acknowledgement
                        assertThat(courier.send("LOAD", "Orders", id, order(id)).result()).isEqualTo("DUPLICATE");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> alpha.count(id) >= 1));
        assertThat(ids).allSatisfy(id -> assertThat(alpha.count(id)).as("deliveries of %s", id).isEqualTo(1));
    }

    @Test
    void interfaceWithTwoReceiversDeliversOneCopyToEach() {
        String id = newId();

        courier.send("ERP", "Fanout", id, order(id));

        await().atMost(DELIVERY_DEADLINE).until(() -> alpha.count(id) == 1 && beta.count(id) == 1);
        assertDeliveredOnlyOnce(alpha, id);
        assertDeliveredOnlyOnce(beta, id);
        assertThat(database.deliveries("ERP", id)).isEqualTo(2);
    }

    @Test
    void receiverThatIsDownDoesNotDelayTheOther() {
        String id = newId();

        courier.send("ERP", "HalfDown", id, order(id));

        // beta gets its copy at once, while 'dead' keeps failing and stays pending
        await().atMost(Duration.ofSeconds(5)).until(() -> beta.count(id) == 1);
        await().atMost(DELIVERY_DEADLINE).until(() ->
                courier.status("ERP", id).delivery("dead").map(d -> d.attempts() >= 1).orElse(false));
        CourierClient.ReceiverDelivery dead = courier.status("ERP", id).delivery("dead").orElseThrow();
        assertThat(dead.state()).isEqualTo("PENDING");
        assertThat(dead.lastError()).contains("connection refused");
        assertThat(dead.deliveredBy()).as("not delivered by any node").isNull();
        CourierClient.MessageStatus status = courier.status("ERP", id);
        assertThat(status.delivery("beta").orElseThrow().state()).isEqualTo("DELIVERED");
        assertThat(status.delivery("beta").orElseThrow().deliveredBy()).as("the node that delivered it").isEqualTo("courier-1");
        assertThat(status.acceptedBy()).as("the node that accepted it").isEqualTo("courier-1");
    }

    @Test
    void receiverDownThenUpGetsTheMessageOnceAfterItIsBack() {
        flaky.stop();
        String id = newId();

        courier.send("ERP", "Flaky", id, order(id));

        await().atMost(DELIVERY_DEADLINE).until(() ->
                courier.status("ERP", id).delivery("flaky").map(d -> d.attempts() >= 2).orElse(false));
        assertThat(flaky.attempts(id)).isZero();
        flaky.restart();
        await().atMost(Duration.ofSeconds(90)).until(() -> flaky.count(id) == 1);
        assertDeliveredOnlyOnce(flaky, id);
        assertThat(courier.status("ERP", id).delivery("flaky").orElseThrow().state()).isEqualTo("DELIVERED");
    }

    @Test
    void receiverAnsweringErrorsIsRetriedUntilItSucceeds() {
        flaky.answer(500);
        String id = newId();

        courier.send("ERP", "Flaky", id, order(id));

        await().atMost(DELIVERY_DEADLINE).until(() -> flaky.attempts(id) >= 2);
        assertThat(courier.status("ERP", id).delivery("flaky").orElseThrow().lastError()).contains("HTTP 500");
        flaky.answer(200);
        await().atMost(Duration.ofSeconds(90)).until(() -> flaky.count(id) == 1);
        assertDeliveredOnlyOnce(flaky, id);
    }

    @Test
    void deliveryWhoseAttemptsRunOutIsFailedAndAnOperatorResendsOrCancelsIt() {
        // the test server runs with -Dcourier.delivery.max-attempts=5: attempts at about 0, 1, 3, 7, 15 s
        flaky.answer(503);
        String resent = newId();
        String cancelled = newId();
        courier.send("ERP", "Flaky", resent, order(resent));
        courier.send("ERP", "Flaky", cancelled, order(cancelled));

        await().atMost(Duration.ofSeconds(60)).until(() -> state(resent).equals("FAILED") && state(cancelled).equals("FAILED"));
        assertThat(courier.status("ERP", resent).delivery("flaky").orElseThrow().attempts()).isEqualTo(5);
        assertThat(courier.status("ERP", resent).delivery("flaky").orElseThrow().lastError()).contains("HTTP 503");
        assertThat(database.count("select count(*) from COURIER_DELIVERY d join COURIER_MESSAGE m on d.MESSAGE_KEY = m.ID "
                + "where m.MESSAGE_ID = ? and d.STATE = 'FAILED'", resent)).isEqualTo(1);
        flaky.answer(200);
        CourierAdmin admin = new CourierAdmin();

        assertThat(admin.resendDelivery("ERP", resent, "flaky")).isEqualTo("PENDING");
        assertThat(admin.cancelDelivery("ERP", cancelled, "flaky")).isEqualTo("CANCELLED");

        await().atMost(DELIVERY_DEADLINE).until(() -> flaky.count(resent) == 1);
        assertDeliveredOnlyOnce(flaky, resent);
        assertThat(flaky.count(cancelled)).isZero();
        await().atMost(DELIVERY_DEADLINE).until(() -> state(resent).equals("DELIVERED"));
        assertThat(state(cancelled)).isEqualTo("CANCELLED");
        // only a FAILED delivery can be resent: a delivered one is a conflict
        CourierAdmin.AdminCallFailed conflict = catchThrowableOfType(CourierAdmin.AdminCallFailed.class,
                () -> admin.resendDelivery("ERP", resent, "flaky"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.error()).contains("DELIVERED");
    }

    private String state(String id) {
        return courier.status("ERP", id).delivery("flaky").map(CourierClient.ReceiverDelivery::state).orElse("");
    }

    @Test
    void deliveriesRunInParallelUpToTheConfiguredLimit() {
        // the test server runs with -Dcourier.delivery.parallel=4
        flaky.delay(Duration.ofMillis(500));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String id = newId();
            ids.add(id);
            courier.send("ERP", "Flaky", id, order(id));
        }

        await().atMost(DELIVERY_DEADLINE).until(() -> ids.stream().allMatch(id -> flaky.count(id) == 1));
        assertThat(flaky.maxConcurrent()).isBetween(2, 4);
    }

    /** Holds for a while: a redelivery would show up within this time. */
    private static void assertDeliveredOnlyOnce(TestReceiver receiver, String id) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.count(id) == 1);
    }

    private static Acknowledgement sendUntilAcknowledged(Callable<Acknowledgement> send) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return send.call();
            } catch (CourierFaultException fault) {
                if (!fault.retryable() || attempt == 10) {
                    throw fault;
                }
            }
        }
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
