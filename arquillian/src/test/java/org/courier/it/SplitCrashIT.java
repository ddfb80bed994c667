package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.junit.jupiter.api.Test;

/**
 * A message split into 100 items (routing: {@code SplitCrash} → {@code crash}) with WildFly
 * killed while the items are being delivered: after the restart every item arrives, each under
 * its own id, the message sent again is a DUPLICATE that makes no new items, and the database
 * holds exactly 100 deliveries, all DELIVERED.
 */
class SplitCrashIT extends KilledServerTest {

    @Test
    void aSplitMessageKilledInTheMiddleDeliversEachItemOnce() throws Exception {
        String sender = "SPLITCRASH-" + UUID.randomUUID().toString().substring(0, 8);
        String id = "batch-" + UUID.randomUUID();
        String payload = SplitAndMulticastIT.orders("C-", 100);
        List<String> itemIds = IntStream.rangeClosed(1, 100).mapToObj(i -> id + "#item-C-" + i).toList();
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.delay(Duration.ofMillis(100));
            assertThat(courier.send(sender, "SplitCrash", id, payload).result()).isEqualTo("ACCEPTED");
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.delivered() >= 20);

            crash();
            // the kill came mid-flow: items were still to be delivered
            assertThat(ReceiverLedger.of(receiver).deliveredIds(sender)).as("items delivered when the server was killed")
                    .hasSizeLessThan(100);
            restart();
            // until recovery has settled what the kill left in doubt, the answer may be "retry"
            await().atMost(Duration.ofSeconds(180)).ignoreExceptions().until(() ->
                    "DUPLICATE".equals(courier.send(sender, "SplitCrash", id, payload).result()));

            await().atMost(Duration.ofSeconds(180)).until(() -> itemIds.stream().allMatch(item -> receiver.count(item) >= 1));
            await().atMost(Duration.ofSeconds(180)).until(() -> database.delivered(sender) == 100);
            assertThat(database.count("select count(*) from COURIER_DELIVERY d join COURIER_MESSAGE m"
                    + " on d.MESSAGE_KEY = m.ID where m.SENDER = ?", sender)).isEqualTo(100);
            assertThat(receiver.arrivals()).extracting(Arrival::messageId).allSatisfy(arrived -> assertThat(itemIds).contains(arrived));
            assertThat(ReceiverLedger.of(receiver).deliveredIds(sender)).as("items delivered as the sender's")
                    .containsExactlyInAnyOrderElementsOf(itemIds);
            // only items in flight at the kill (POSTed, not yet committed) can arrive twice
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(receiver, sender, DELIVERIES_IN_FLIGHT);
        }
    }
}
