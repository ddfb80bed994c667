package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDeployment;
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
 * One message, several deliveries to one receiver (routing: {@code SplitOrders} splits orders by
 * their number; {@code Branches} sends two branches to {@code parts} and one copy to {@code idoc}):
 * each item and each branch is delivered once, with an id of its own that a resend of the
 * message does not change; in-order messages keep their items' order.
 */
@ExtendWith(ArquillianExtension.class)
class SplitAndMulticastIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final CourierClient courier = new CourierClient();
    private TestReceiver parts;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        parts = TestReceiver.start(18094);
    }

    @AfterEach
    void stopReceiver() {
        parts.close();
    }

    /** An order list in the default namespace, compact: 100 orders fit the test's 4 KiB payload limit. */
    static String orders(String prefix, int count) {
        StringBuilder xml = new StringBuilder("<orders xmlns=\"urn:example:orders\">");
        for (int i = 1; i <= count; i++) {
            xml.append("<order><number>").append(prefix).append(i).append("</number></order>");
        }
        return xml.append("</orders>").toString();
    }

    @Test
    void aSplitOf100ItemsSentTwiceDeliversEachItemOnceWithItsOwnId() {
        String sender = "SPLIT-" + UUID.randomUUID().toString().substring(0, 8);
        String id = "batch-" + UUID.randomUUID();

        assertThat(courier.send(sender, "SplitOrders", id, orders("N-", 100)).result()).isEqualTo("ACCEPTED");
        assertThat(courier.send(sender, "SplitOrders", id, orders("N-", 100)).result()).isEqualTo("DUPLICATE");

        await().atMost(DEADLINE).until(() -> parts.delivered() >= 100);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> parts.total() == 100);
        List<String> expected = IntStream.rangeClosed(1, 100).mapToObj(i -> id + "#item-N-" + i).toList();
        assertThat(parts.arrivals()).extracting(Arrival::messageId).containsExactlyInAnyOrderElementsOf(expected);
        Arrival seventh = parts.arrivalsOf(id + "#item-N-7").get(0);
        assertThat(seventh.body()).contains("<number>N-7</number>").contains("urn:example:orders").doesNotContain("N-8<");
        assertThat(seventh.sourceMessageId()).isEqualTo(id);

        List<ReceiverDelivery> deliveries = courier.status(sender, id).deliveries();
        assertThat(deliveries).hasSize(100).allSatisfy(d -> assertThat(d.state()).isEqualTo("DELIVERED"));
    }

    @Test
    void anInOrderQueueOfSplitMessagesKeepsTheItemsInOrder() {
        String sender = "SPLIT-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = "Q" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        for (int m = 1; m <= 3; m++) {
            assertThat(courier.sendInOrder(sender, "SplitOrders", "m" + m + "-" + queue, queue, orders("M" + m + "-", 5))
                    .result()).isEqualTo("ACCEPTED");
        }

        await().atMost(DEADLINE).until(() -> parts.delivered() >= 15);
        List<String> expected = IntStream.rangeClosed(1, 3).boxed().flatMap(m -> IntStream.rangeClosed(1, 5)
                .mapToObj(i -> "m" + m + "-" + queue + "#item-M" + m + "-" + i)).toList();
        assertThat(parts.arrivals().stream().filter(Arrival::answered2xx).map(Arrival::messageId).toList())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void branchesToOneReceiverAreDeliveredOnceEachWithDistinctIds() {
        String sender = "BRANCH-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        try (TestReceiver idoc = TestReceiver.start(18092)) {
            courier.send(sender, "Branches", id, "<order/>");
            assertThat(courier.send(sender, "Branches", id, "<order/>").result()).isEqualTo("DUPLICATE");

            await().atMost(DEADLINE).until(() -> parts.delivered() == 2 && idoc.delivered() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> parts.total() == 2);
            assertThat(parts.arrivals()).extracting(Arrival::messageId)
                    .containsExactlyInAnyOrder(id + "#billing", id + "#shipping");
            assertThat(idoc.arrivals().get(0).messageId()).matches("[0-9A-F]{24}");
            assertThat(courier.status(sender, id).deliveries()).hasSize(3);
        }
    }
}
