package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.ServerMetrics;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.courier.loader.SoapSender;
import org.courier.loader.SoapSender.Message;
import org.courier.loader.SoapSender.Outcome;
import org.courier.loader.SoapSender.Outcome.Kind;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several deliveries settled in one delivery transaction ({@code DeliveryListener}), black box:
 * batches of 50 sent from four threads at once leave a backlog in the delivery queue, which the
 * delivery sessions take into their transactions; every message arrives once at an idempotent
 * receiver ({@code alpha}) and at a non-idempotent one under policy HOLD ({@code fragile}), none is
 * left in doubt, and the server counts deliveries settled after the first of their transaction
 * ({@code courier_deliveries_batched_total}), which stays 0 if none ever is.
 * Across kill -9 the crash suites hold it: they run with it on (the default).
 */
@ExtendWith(ArquillianExtension.class)
class DeliveryBatchIT {

    private static final int THREADS = 4;
    private static final int BATCHES_PER_THREAD = 5;
    private static final int BATCH = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final SoapSender soap = new SoapSender(URI.create("http://127.0.0.1:8080/courier/CourierService"),
            Duration.ofSeconds(60), TestUser.INTEGRATION.credentials());
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final ServerMetrics metrics = new ServerMetrics();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aBacklogIsSettledSeveralDeliveriesATransactionAndEachArrivesOnce() throws Exception {
        String sender = "DELIVERY-BATCH-" + hex(8);
        double batchedBefore = metrics.value("courier_deliveries_batched_total").orElseThrow();
        try (TestReceiver alpha = TestReceiver.start(18081);
             TestReceiver fragile = TestReceiver.start(18088)) {
            List<String> toAlpha = new ArrayList<>();
            List<String> toFragile = new ArrayList<>();
            ExecutorService senders = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<Outcome>>> answers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                        String interfaceName = (t + b) % 2 == 0 ? "Orders" : "Fragile";
                        List<Message> batch = messages(sender, interfaceName, t + "-" + b);
                        (interfaceName.equals("Orders") ? toAlpha : toFragile)
                                .addAll(batch.stream().map(Message::messageId).toList());
                        answers.add(senders.submit(() -> soap.sendBatch(batch)));
                    }
                }
                for (Future<List<Outcome>> answer : answers) {
                    assertThat(answer.get()).extracting(Outcome::kind).containsOnly(Kind.ACCEPTED).hasSize(BATCH);
                }
            } finally {
                senders.shutdownNow();
            }

            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(alpha).deliveredAll(sender, toAlpha)
                    && ReceiverLedger.of(fragile).deliveredAll(sender, toFragile));

            assertThat(ReceiverLedger.of(alpha).repeats(sender)).as("repeated to alpha").isZero();
            assertThat(ReceiverLedger.of(fragile).repeats(sender)).as("repeated to fragile").isZero();
            assertThat(toFragile).allSatisfy(id -> assertThat(fragile.attempts(id)).as("requests for %s", id).isEqualTo(1));
            assertThat(database.count("select count(*) from COURIER_DELIVERY d join COURIER_MESSAGE m on d.MESSAGE_KEY = m.ID"
                    + " where m.SENDER = ? and d.STATE <> 'DELIVERED'", sender))
                    .as("deliveries not DELIVERED").isZero();
            assertThat(metrics.value("courier_deliveries_batched_total").orElseThrow())
                    .as("deliveries settled in a transaction after its first").isGreaterThan(batchedBefore);
        }
    }

    private static List<Message> messages(String sender, String interfaceName, String prefix) {
        return IntStream.rangeClosed(1, BATCH).mapToObj(i -> {
            String id = prefix + "-" + i + "-" + hex(6);
            return new Message(sender, interfaceName, id, "ExactlyOnce", null,
                    "<order xmlns=\"urn:example:orders\"><id>" + id + "</id></order>");
        }).toList();
    }
}
