package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.oneTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.PartnerBroker;
import org.courier.it.support.PartnerBroker.Received;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestConfiguration;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inbound JMS channels ({@code <jms-channel>}) against a second, real Artemis broker
 * ({@link PartnerBroker}): each message of the channel's queue becomes one message, its id the
 * property CourierMessageId or else its JMSMessageID, delivered once, and the queue empties; a
 * message that is not XML goes to the dead-letter queue with its reason, and nothing is stored; the
 * same id twice is one message (another payload under it is refused to the dead-letter queue); a
 * broker that is away holds the channel, which takes everything once it is back; an in-order
 * channel's messages arrive in the queue's order. The channels are put in force with a
 * configuration reload for each test and taken out after it.
 */
@ExtendWith(ArquillianExtension.class)
class JmsChannelIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int RECEIVER_PORT = 18117;

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final String sender = "JMSIN" + hex(6);
    private final String queue = "partner.out." + sender;
    private TestConfiguration configuration;
    private PartnerBroker broker;
    private TestReceiver receiver;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void start() throws Exception {
        configuration = TestConfiguration.current(admin);
        broker = PartnerBroker.start(Path.of("target", "partner-broker", sender));
        receiver = TestReceiver.start(RECEIVER_PORT);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            configuration.restore();
        } finally {
            receiver.close();
            broker.close();
        }
    }

    @Test
    void eachMessageOfTheQueueIsStoredOnceAndDeliveredAndTheQueueEmpties() throws Exception {
        Map<String, String> named = new LinkedHashMap<>();
        for (int n = 1; n <= 20; n++) {
            named.put(sender + "-" + n, order(sender + "-" + n));
        }
        broker.putAll(queue, named);
        List<String> unnamed = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            unnamed.add(broker.put(queue, order("unnamed-" + n), Map.of()));
        }
        String reload = configuration.inForce("""
                <jms-channel name="jms-in" url="jms://partner-broker/%s" sender="%s" interface="JmsIn"/>
                """.formatted(queue, sender));
        assertThat(reload).as("what the reload put in force").contains("jms-channel \\\"jms-in\\\"");

        List<String> all = new ArrayList<>(named.keySet());
        all.addAll(unnamed);
        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, all));
        // the receipts commit before the take that holds the messages: delivered first, off the queue a moment later
        await().atMost(DEADLINE).until(() -> broker.count(queue) == 0);
        assertThat(unnamed).allSatisfy(id -> assertThat(id).startsWith("ID:"));
        for (String id : named.keySet()) {
            assertThat(receiver.count(id)).as("deliveries of %s", id).isEqualTo(1);
            Arrival arrival = receiver.arrivalsOf(id).get(0);
            assertThat(arrival.interfaceName()).isEqualTo("JmsIn");
            assertThat(arrival.body()).isEqualTo(order(id));
        }
        assertThat(courier.status(sender, unnamed.get(0)).qualityOfService()).isEqualTo("ExactlyOnce");
        assertThat(database.messages(sender)).isEqualTo(all.size());
        assertThat(broker.prepared()).as("transactions left prepared in the broker").isZero();
    }

    @Test
    void aMessageThatIsNotXmlGoesToTheDeadLetterQueueWithItsReasonAndNothingIsStored() throws Exception {
        String id = sender + "-bad";
        broker.put(queue, "this is not XML", Map.of("CourierMessageId", id, "origin", "partner-erp"));
        configuration.inForce("""
                <jms-channel name="jms-in" url="jms://partner-broker/%s" sender="%s" interface="JmsIn"/>
                """.formatted(queue, sender));

        String deadLetters = queue + ".refused";
        await().atMost(DEADLINE).until(() -> broker.count(deadLetters) == 1);
        List<Received> refused = broker.take(deadLetters);
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).text()).isEqualTo("this is not XML");
        assertThat(refused.get(0).property("origin")).as("the message's own properties, kept").isEqualTo("partner-erp");
        assertThat(refused.get(0).property("CourierRefusal")).startsWith("INVALID_REQUEST: the message is not one XML document");
        await().atMost(DEADLINE).until(() -> broker.count(queue) == 0);
        assertThat(database.messages(sender)).isZero();
        assertThat(receiver.total()).isZero();
    }

    @Test
    void theSameIdTwiceIsOneMessageAndAnotherPayloadUnderItIsRefused() throws Exception {
        String id = sender + "-twice";
        broker.put(queue, order(id), Map.of("CourierMessageId", id));
        broker.put(queue, order(id), Map.of("CourierMessageId", id));
        broker.put(queue, order("other"), Map.of("CourierMessageId", id));
        configuration.inForce("""
                <jms-channel name="jms-in" url="jms://partner-broker/%s" sender="%s" interface="JmsIn" dead-letter-queue="%s.dlq"/>
                """.formatted(queue, sender, sender));

        await().atMost(DEADLINE).until(() -> broker.count(sender + ".dlq") == 1 && receiver.count(id) == 1);
        assertThat(broker.take(sender + ".dlq").get(0).property("CourierRefusal")).startsWith("MESSAGE_ID_CONFLICT");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> receiver.count(id) == 1);
        assertThat(database.messages(sender)).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> broker.count(queue) == 0);
    }

    @Test
    void aChannelWhoseBrokerIsAwayTakesEveryMessageOnceWhenItIsBack() throws Exception {
        Map<String, String> messages = new LinkedHashMap<>();
        for (int n = 1; n <= 5; n++) {
            messages.put(sender + "-" + n, order(sender + "-" + n));
        }
        broker.putAll(queue, messages);
        broker.stop();
        configuration.inForce("""
                <jms-channel name="jms-in" url="jms://partner-broker/%s" sender="%s" interface="JmsIn"/>
                """.formatted(queue, sender));

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> receiver.total() == 0);
        broker.restart();
        List<String> ids = new ArrayList<>(messages.keySet());
        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
        assertThat(ids).allSatisfy(id -> assertThat(receiver.count(id)).as("deliveries of %s", id).isEqualTo(1));
        await().atMost(DEADLINE).until(() -> broker.count(queue) == 0);
    }

    @Test
    void anInOrderChannelsMessagesArriveInTheQueuesOrder() throws Exception {
        Map<String, String> messages = new LinkedHashMap<>();
        for (int n = 1; n <= 30; n++) {
            messages.put(sender + "-" + n, order(sender + "-" + n));
        }
        String queueId = "JMS" + hex(6).toUpperCase();
        broker.putAll(queue, messages);
        configuration.inForce("""
                <jms-channel name="jms-in-order" url="jms://partner-broker/%s" sender="%s" interface="JmsIn"
                             quality-of-service="ExactlyOnceInOrder" queue-id="%s"/>
                """.formatted(queue, sender, queueId));

        List<String> ids = new ArrayList<>(messages.keySet());
        await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
        ReceiverLedger ledger = ReceiverLedger.of(receiver);
        assertThat(ledger.messageIds(sender, queueId)).as("arrival order").containsExactlyElementsOf(ids);
        assertThat(ledger.sequences(sender, queueId)).containsExactlyElementsOf(oneTo(ids.size()));
    }


    private static String order(String id) {
        return "<order xmlns=\"urn:courier:test\"><id>" + id + "</id><line>ü &amp; ß</line></order>";
    }
}
