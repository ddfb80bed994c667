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
import java.util.logging.Logger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.FailureEntry;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * A non-idempotent receiver across a hard crash: WildFly is killed with SIGKILL while the receiver
 * holds several requests it has processed but not yet answered. After the restart none of them is
 * sent again: each is IN_DOUBT (policy HOLD), an in-order queue waits behind its in-doubt head, and
 * the messages delivered before the kill stay delivered once.
 */
class InDoubtCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(InDoubtCrashIT.class.getName());
    /** {@code fragile-slow}: not idempotent, policy HOLD, timeout 300 s. */
    private static final String FRAGILE = "fragile-slow";
    private static final int FRAGILE_PORT = 18091;
    /** The receiver keeps these requests unanswered far beyond the kill and the restart. */
    private static final Duration HOLD_ANSWERS = Duration.ofMinutes(10);
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    private final CourierAdmin admin = new CourierAdmin();

    @Test
    void requestsInFlightAtAKillAreInDoubtAfterTheRestartAndNeverSentAgain() throws Exception {
        String sender = "DOUBT-CRASH-" + hex(8);
        try (TestReceiver receiver = TestReceiver.start(FRAGILE_PORT)) {
            List<String> delivered = sendConcurrently(sender, "FragileSlow", 8, 4);
            await().atMost(DEADLINE).until(() -> database.delivered(sender) == delivered.size());

            // single messages and a queue's head: as many requests in flight at once as the receiver's share
            // of the crash server's delivery sessions (one more would wait for a free slot, unsent)
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < ONE_RECEIVERS_SHARE - 1; i++) {
                stuck.add(UUID.randomUUID().toString());
            }
            String queueId = newQueueId();
            List<String> queue = ids(queueId, 3);
            stuck.forEach(id -> receiver.processThenAnswerLate(id, HOLD_ANSWERS));
            receiver.processThenAnswerLate(queue.get(0), HOLD_ANSWERS);
            stuck.parallelStream().forEach(id ->
                    assertThat(courier.send(sender, "FragileSlow", id, payloadOf(id)).result()).isEqualTo("ACCEPTED"));
            queue.forEach(id -> assertThat(courier.sendInOrder(sender, "FragileSlow", id, queueId, order(queueId, id))
                    .result()).isEqualTo("ACCEPTED"));
            List<String> inFlight = new ArrayList<>(stuck);
            inFlight.add(queue.get(0));
            // the receiver has processed every one of them and answers none
            await().atMost(DEADLINE).until(() -> inFlight.stream().allMatch(id -> receiver.attempts(id) == 1));

            crash();
            restart();

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    inDoubtOf(sender).size() == inFlight.size());
            assertThat(inDoubtOf(sender)).extracting(FailureEntry::messageId).containsExactlyInAnyOrderElementsOf(inFlight);
            assertThat(inDoubtOf(sender)).allSatisfy(entry -> assertThat(entry.lastError()).contains("has no outcome"));
            for (String successor : queue.subList(1, queue.size())) {
                ReceiverDelivery held = courier.status(sender, successor).delivery(FRAGILE).orElseThrow();
                assertThat(held.state()).as("state of %s", successor).isEqualTo("HELD");
                assertThat(held.heldBehind()).isEqualTo(queue.get(0));
            }
            // nothing is sent again: every request reached the receiver once
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() ->
                    inFlight.stream().allMatch(id -> receiver.attempts(id) == 1));
            assertThat(delivered).allMatch(id -> receiver.attempts(id) == 1);
            assertThat(database.delivered(sender)).isEqualTo(delivered.size());
            LOG.info("kill -9 with " + inFlight.size() + " requests unanswered at a non-idempotent receiver: all "
                    + "IN_DOUBT after the restart, none sent again; " + delivered.size() + " delivered before stay delivered");

            // the operator settles the head: the queue goes on, in order
            assertThat(admin.declareDelivered(sender, queue.get(0), FRAGILE)).isEqualTo("DELIVERED");
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, queue));
            assertThat(ReceiverLedger.of(receiver).messageIds(sender, queueId)).containsExactlyElementsOf(queue);
            ReceiverDelivery head = courier.status(sender, queue.get(0)).delivery(FRAGILE).orElseThrow();
            assertThat(head.state()).isEqualTo("DELIVERED");
        }
    }

    private List<FailureEntry> inDoubtOf(String sender) {
        return admin.inDoubt(FRAGILE).entries().stream().filter(e -> sender.equals(e.sender())).toList();
    }
}
