package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.Senders;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * Exactly Once across a hard crash: the WildFly process is killed with SIGKILL (no shutdown
 * hook, no flush) and restarted; what was acknowledged must still be delivered, once.
 */
class ExactlyOnceCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceCrashIT.class.getName());

    @Test
    void acknowledgedMessagesAreDeliveredExactlyOnceAfterAKillBeforeDelivery() throws Exception {
        String sender = "CRASH-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            List<String> ids = acknowledgedWhileTheReceiverIsDown(receiver, sender, 20, 4);
            assertThat(receiver.total()).isZero();

            crashAndRestart();
            receiver.restart();

            await().atMost(Duration.ofSeconds(120)).until(() -> ids.stream().allMatch(id -> receiver.count(id) >= 1));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    ids.stream().allMatch(id -> receiver.count(id) == 1));
            // the receiver answers before Courier commits DELIVERED: wait for the commit
            await().atMost(Duration.ofSeconds(180)).until(() -> database.delivered(sender) == ids.size());
            assertThat(database.messages(sender)).isEqualTo(ids.size());
        }
    }

    @Test
    void killUnderLoadLosesNoAcknowledgedMessage() throws Exception {
        String sender = "LOAD-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            // slower than the senders (16 sessions x 250 ms: 64 deliveries a second), so that the kill finds
            // acknowledged messages on their way to the receiver; at 20 ms the deliveries kept up with the senders
            // and the kill found none (seen in CI)
            receiver.delay(Duration.ofMillis(250));
            Senders.UnderLoad senders = Senders.underLoad(8, n -> UUID.randomUUID().toString(),
                    id -> courier.send(sender, "Crash", id, payloadOf(id)));
            Set<String> acknowledged = senders.acknowledged();
            await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= 150 && receiver.total() >= 50);

            crash();
            Set<String> deliveredAtKill = ReceiverLedger.of(receiver).deliveredIds(sender);
            long inFlightAtKill = acknowledged.stream().filter(id -> !deliveredAtKill.contains(id)).count();
            senders.stop();
            restart();

            // a real sender resends what it has no acknowledgement for, with the same id
            int resent = senders.resendUnknown(Duration.ofSeconds(180));
            // the kill came with work in flight: acknowledged messages not yet at the receiver
            assertThat(inFlightAtKill).as("acknowledged, not yet delivered when the server was killed").isPositive();
            await().atMost(Duration.ofSeconds(180)).until(() -> acknowledged.stream().allMatch(id -> receiver.count(id) >= 1));

            assertThat(database.messages(sender)).isEqualTo(acknowledged.size());
            await().atMost(Duration.ofSeconds(180)).until(() -> database.delivered(sender) == acknowledged.size());
            // only deliveries in flight at the moment of the kill can reach the receiver twice
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(receiver, sender, DELIVERIES_IN_FLIGHT);
            LOG.info("kill -9 under load: " + acknowledged.size() + " acknowledged (" + inFlightAtKill + " of them not yet"
                    + " delivered at the kill), " + resent + " unknown at the crash and resent, all"
                    + " delivered; " + ReceiverLedger.of(receiver).repeats(sender)
                    + " delivered again (POSTed, then killed before the commit)");
        }
    }
}
