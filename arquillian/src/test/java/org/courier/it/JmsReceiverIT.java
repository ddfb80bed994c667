package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.PartnerBroker;
import org.courier.it.support.PartnerBroker.Received;
import org.courier.it.support.Senders;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JMS receivers ({@code protocol="jms"}) against a second, real Artemis broker ({@link PartnerBroker})
 * reached through WildFly's pooled connection factory {@code java:/jms/partner-broker}: every message
 * becomes one JMS message in the receiver's queue, its ids as properties, an in-order queue's in
 * sequence; a broker out of reach is retried and gets every message once when it is back, with
 * nothing left prepared in it; a configuration naming a connection factory WildFly lacks is refused.
 */
@ExtendWith(ArquillianExtension.class)
class JmsReceiverIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String QUEUE = "courier.orders";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final String sender = "JMS-" + UUID.randomUUID().toString().substring(0, 8);
    private PartnerBroker broker;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = PartnerBroker.start(Path.of("target", "partner-broker", sender));
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void eachMessageIsOneJmsMessageInTheQueueWithItsIdsAsPropertiesAndAnInOrderQueueInSequence() throws Exception {
        List<String> single = Senders.atOnce(20, n -> "order-" + UUID.randomUUID(), id ->
                assertThat(courier.send(sender, "JmsOut", id, order(id)).result()).isEqualTo("ACCEPTED"));
        String queueId = newQueueId();
        List<String> inOrder = ids(queueId, 10);
        courier.sendInOrderAccepted(sender, "JmsOut", queueId, inOrder, DEADLINE);

        List<String> all = new ArrayList<>(single);
        all.addAll(inOrder);
        await().atMost(DEADLINE).until(() -> all.stream().allMatch(id -> state(id).equals("DELIVERED")));
        List<Received> received = broker.take(QUEUE);
        Map<String, Received> byId = received.stream()
                .collect(Collectors.toMap(m -> m.property("CourierMessageId"), Function.identity()));
        assertThat(received).as("messages in %s", QUEUE).hasSize(all.size());
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(all);
        for (String id : single) {
            Received message = byId.get(id);
            assertThat(message.text()).isEqualTo(order(id));
            assertThat(message.correlationId()).isEqualTo(id);
            assertThat(message.property("CourierSender")).isEqualTo(sender);
            assertThat(message.property("CourierInterface")).isEqualTo("JmsOut");
            assertThat(message.properties()).doesNotContainKeys("CourierQueueId", "CourierSequence", "JMSXGroupID");
        }
        List<Received> queue = received.stream().filter(m -> queueId.equals(m.property("CourierQueueId"))).toList();
        assertThat(queue).extracting(m -> m.property("CourierMessageId")).as("the in-order queue, in the broker's order")
                .containsExactlyElementsOf(inOrder);
        assertThat(queue).extracting(m -> m.property("CourierSequence")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(queue).allSatisfy(m -> assertThat(m.property("JMSXGroupID")).isEqualTo(queueId));
        assertThat(broker.prepared()).as("transactions left prepared in the broker").isZero();
    }

    @Test
    void aBrokerOutOfReachIsRetriedAndGetsEveryMessageOnceWhenItIsBack() throws Exception {
        broker.stop();
        List<String> ids = Senders.atOnce(5, n -> "away-" + UUID.randomUUID(), id ->
                assertThat(courier.send(sender, "JmsOut", id, order(id)).result()).isEqualTo("ACCEPTED"));

        await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> attempts(id) >= 2));
        ReceiverDelivery failing = courier.status(sender, ids.get(0)).delivery("jms-orders").orElseThrow();
        assertThat(failing.state()).isIn("PENDING", CourierAdmin.FAILED);
        assertThat(failing.lastError()).startsWith("queue courier.orders through java:/jms/partner-broker: ");

        broker.restart();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ids.stream().allMatch(id -> state(id).equals("DELIVERED")));
        List<Received> received = broker.take(QUEUE);
        assertThat(received).extracting(m -> m.property("CourierMessageId")).as("each once")
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(broker.prepared()).as("transactions left prepared in the broker").isZero();
    }

    @Test
    void aConfigurationNamingAConnectionFactoryWildFlyLacksIsRefusedSayingWhich() throws Exception {
        String before = admin.configuration().getString("version");
        HttpResponse<String> check = admin.checkConfiguration("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="jms-nowhere" url="jms://no-such-factory/orders" protocol="jms"/>
                  <route sender="*" interface="Nowhere"><to receiver="jms-nowhere"/></route>
                </courier>
                """);

        assertThat(check.statusCode()).as(check.body()).isEqualTo(422);
        assertThat(check.body()).contains("receiver \\\"jms-nowhere\\\": WildFly has no JMS connection factory"
                + " java:/jms/no-such-factory (a pooled-connection-factory with that entry, transaction xa: docs/jms.md)");
        assertThat(admin.configuration().getString("version")).isEqualTo(before);
    }

    private static String order(String id) {
        return "<order xmlns=\"urn:courier:test\"><id>" + id + "</id><line>ü &amp; ß</line></order>";
    }

    private String state(String id) {
        return courier.status(sender, id).delivery("jms-orders").map(ReceiverDelivery::state).orElse("");
    }

    private int attempts(String id) {
        return courier.status(sender, id).delivery("jms-orders").map(ReceiverDelivery::attempts).orElse(0);
    }
}
