package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
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
 * The {@code sendBatch} operation over real SOAP: many messages in one call and one
 * transaction, one answer per message, exactly as {@code send} would answer each — also when
 * the batch is sent again, sent twice at once, mixes good and bad messages, or carries an
 * in-order queue.
 */
@ExtendWith(ArquillianExtension.class)
class BatchSendIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final SoapSender soap = new SoapSender(URI.create("http://127.0.0.1:8080/courier/CourierService"),
            Duration.ofSeconds(60), TestUser.INTEGRATION.credentials());
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aBatchIsAcceptedWholeAndItsRepetitionIsAllDuplicates() {
        String sender = "BATCH-" + hex(8);
        List<Message> batch = messages(sender, "Orders", 20);
        List<String> ids = batch.stream().map(Message::messageId).toList();
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            List<Outcome> first = soap.sendBatch(batch);

            assertThat(first).extracting(Outcome::kind).containsOnly(Kind.ACCEPTED).hasSize(20);
            assertThat(database.messages(sender)).isEqualTo(20);
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(alpha).deliveredAll(sender, ids));

            List<Outcome> again = soap.sendBatch(batch);

            assertThat(again).extracting(Outcome::kind).containsOnly(Kind.DUPLICATE).hasSize(20);
            assertThat(database.messages(sender)).isEqualTo(20);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    ReceiverLedger.of(alpha).repeats(sender) == 0);
        }
    }

    @Test
    void eachMessageOfAMixedBatchGetsTheAnswerASendOfItAloneWouldGet() {
        String sender = "BATCH-MIX-" + hex(8);
        Message earlier = message(sender, "Orders", "earlier-" + hex(6));
        Message conflicting = message(sender, "Orders", "conflict-" + hex(6));
        assertThat(soap.send(earlier).kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(soap.send(conflicting).kind()).isEqualTo(Kind.ACCEPTED);
        Message fresh = message(sender, "Orders", "fresh-" + hex(6));
        Message invalid = message(sender, "Orders", "has space");
        Message unrouted = message(sender, "NoSuchInterface", "unrouted-" + hex(6));
        Message changed = new Message(sender, "Orders", conflicting.messageId(), "ExactlyOnce", null, "<order><changed/></order>");

        List<Outcome> answers = soap.sendBatch(List.of(fresh, invalid, earlier, fresh, changed, unrouted));

        assertThat(answers).extracting(Outcome::kind)
                .containsExactly(Kind.ACCEPTED, Kind.FAULT, Kind.DUPLICATE, Kind.DUPLICATE, Kind.FAULT, Kind.FAULT);
        assertThat(answers.get(1).faultCode()).isEqualTo("INVALID_REQUEST");
        assertThat(answers.get(1).detail()).contains("messageId");
        assertThat(answers.get(4).faultCode()).isEqualTo("MESSAGE_ID_CONFLICT");
        assertThat(answers.get(5).faultCode()).isEqualTo("UNKNOWN_INTERFACE");
        assertThat(answers).filteredOn(a -> a.kind() == Kind.FAULT).extracting(Outcome::retryable).containsOnly(false);
        assertThat(database.messages(sender)).as("stored: the two earlier ones and the fresh one").isEqualTo(3);
    }

    @Test
    void theSameBatchSentTwiceAtOnceStoresEachMessageOnce() throws Exception {
        String sender = "BATCH-RACE-" + hex(8);
        List<Message> batch = messages(sender, "Orders", 50);
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            CompletableFuture<List<Outcome>> one = CompletableFuture.supplyAsync(() -> soap.sendBatch(batch));
            CompletableFuture<List<Outcome>> two = CompletableFuture.supplyAsync(() -> soap.sendBatch(batch));
            List<Outcome> a = one.get();
            List<Outcome> b = two.get();

            for (int i = 0; i < batch.size(); i++) {
                assertThat(List.of(a.get(i).kind(), b.get(i).kind())).as("answers for %s", batch.get(i).messageId())
                        .containsExactlyInAnyOrder(Kind.ACCEPTED, Kind.DUPLICATE);
            }
            assertThat(database.messages(sender)).isEqualTo(50);
            List<String> ids = batch.stream().map(Message::messageId).toList();
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(alpha).deliveredAll(sender, ids));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    ReceiverLedger.of(alpha).repeats(sender) == 0);
        }
    }

    @Test
    void anInOrderQueueInABatchIsNumberedAndDeliveredInBatchOrder() {
        String sender = "BATCH-EOIO-" + hex(8);
        String queueId = newQueueId();
        List<Message> batch = IntStream.rangeClosed(1, 10).mapToObj(i -> new Message(sender, "InOrder",
                queueId + "-" + i, "ExactlyOnceInOrder", queueId, "<step><n>" + i + "</n></step>")).toList();
        List<String> ids = batch.stream().map(Message::messageId).toList();
        try (TestReceiver ordered = TestReceiver.start(18086)) {
            List<Outcome> answers = soap.sendBatch(batch);

            assertThat(answers).extracting(Outcome::sequence).containsExactlyElementsOf(oneTo(10));
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(ordered).deliveredAll(sender, ids));
            assertThat(ReceiverLedger.of(ordered).messageIds(sender, queueId)).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void anInOrderMessageRefusedInABatchHoldsBackTheRestOfItsQueue() {
        String sender = "BATCH-EOIO-BAD-" + hex(8);
        String queueId = newQueueId();
        List<Message> batch = new ArrayList<>();
        batch.add(new Message(sender, "InOrder", queueId + "-1", "ExactlyOnceInOrder", queueId, "<step/>"));
        batch.add(new Message(sender, "InOrder", queueId + "-2", "ExactlyOnceInOrder", queueId, "not xml"));
        batch.add(new Message(sender, "InOrder", queueId + "-3", "ExactlyOnceInOrder", queueId, "<step/>"));

        List<Outcome> answers = soap.sendBatch(batch);

        assertThat(answers).extracting(Outcome::kind).containsExactly(Kind.ACCEPTED, Kind.FAULT, Kind.FAULT);
        assertThat(answers.get(1).faultCode()).isEqualTo("INVALID_REQUEST");
        assertThat(answers.get(2).faultCode()).isEqualTo("TEMPORARILY_UNAVAILABLE");
        assertThat(answers.get(2).retryable()).isTrue();
        assertThat(answers.get(2).detail()).contains("earlier message of queue");
        assertThat(database.messages(sender)).isEqualTo(1);
    }

    @Test
    void anOversizedBatchIsRefusedAsAWhole() {
        String sender = "BATCH-SIZE-" + hex(8);

        List<Outcome> tooMany = soap.sendBatch(messages(sender, "Orders", 501));

        assertThat(tooMany).extracting(Outcome::faultCode).containsOnly("INVALID_REQUEST");
        assertThat(tooMany.get(0).detail()).contains("1 to 500 messages");
        assertThat(database.messages(sender)).isZero();
    }

    private static List<Message> messages(String sender, String interfaceName, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> message(sender, interfaceName, "m" + i + "-" + hex(6))).toList();
    }

    private static Message message(String sender, String interfaceName, String id) {
        return new Message(sender, interfaceName, id, "ExactlyOnce", null,
                "<order xmlns=\"urn:example:orders\"><id>" + id + "</id></order>");
    }
}
