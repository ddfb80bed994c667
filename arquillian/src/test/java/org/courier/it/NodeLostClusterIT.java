package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.courier.it.support.BrokerState;
import org.courier.it.support.ClusterLoad;
import org.courier.it.support.CourierCluster;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * A node that does not come back (docs/cluster.md, "Takeover"): node-1 is killed with kill -9
 * while it holds work — in-order queues whose receiver is away (their deliveries wait in node-1's
 * broker for their next attempt) and deliveries in flight to a non-idempotent receiver — and is not
 * started again. Once its heartbeat is older than the takeover time, node-2 rolls back what node-1
 * left prepared in the database and dispatches its pending deliveries again: everything
 * acknowledged is delivered, in order, each message once at the non-idempotent receiver, within
 * the takeover time and a few beats. Then node-1 comes back with its broker's old messages: they
 * are outdated and dropped, nothing arrives twice.
 */
class NodeLostClusterIT extends ClusterTest {

    private static final Logger LOG = Logger.getLogger(NodeLostClusterIT.class.getName());
    /** What the takeover may take beyond the takeover time: beats, the rollback, the redispatch, delivery. */
    private static final Duration TAKEOVER_SLACK = Duration.ofSeconds(40);

    private final CourierDatabase database = CourierCluster.database();

    @Test
    void whatADeadNodeAcceptedIsDeliveredByTheOtherOnceAndInOrderAndNothingTwiceWhenItReturns() throws Exception {
        String sender = "CLUSTER-" + hex(8);
        try (TestReceiver ordered = TestReceiver.start(IDEMPOTENT_PORT);
             TestReceiver fragile = TestReceiver.start(FRAGILE_PORT);
             ClusterLoad load = ClusterLoad.start(courier, sender)) {
            fragile.delay(Duration.ofMillis(100));
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= 200);
            // the in-order receiver goes away: its deliveries wait in the brokers for their next attempt
            ordered.stop();
            int atStop = load.acknowledged().size();
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= atStop + 100
                    && pendingIn("courier-1") >= 3);

            cluster.kill(1);
            Instant killed = Instant.now();
            long strandedAtKill = pendingIn("courier-1");
            int atKill = load.acknowledged().size();
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= atKill + 100);
            load.stop();
            ordered.restart();

            // node-1 stays dead: node-2 takes its work over
            cluster.awaitDrained(load, ordered, fragile, DEADLINE);
            Duration delivered = Duration.between(killed, Instant.now());
            assertThat(cluster.running(1)).as("node-1 is still dead").isFalse();
            assertThat(pendingIn("courier-1")).as("deliveries left in the dead node's broker").isZero();
            String node2 = Files.readString(cluster.serverLog(2));
            assertThat(node2).as("node-2's log").contains("took over from node courier-1");
            node2.lines().filter(line -> line.contains("took over from node")).forEach(LOG::info);
            assertThat(delivered).as("everything delivered after the kill within the takeover time and its slack")
                    .isLessThanOrEqualTo(CourierCluster.TAKEOVER_AFTER.plus(TAKEOVER_SLACK));
            load.assertInOrderAt(ordered);
            load.assertEachOnceAt(fragile);
            long repeats = ReceiverLedger.of(ordered).repeats(sender);
            LOG.info("node-1 killed holding " + strandedAtKill + " pending deliveries; all " + load.acknowledged().size()
                    + " acknowledged delivered " + delivered.toSeconds() + " s after the kill (takeover after "
                    + CourierCluster.TAKEOVER_AFTER.toSeconds() + " s); " + repeats + " repeats at the idempotent receiver, "
                    + fragile.statusChecks() + " status checks at the non-idempotent one");
            assertThat(repeats).as("repeats at the idempotent receiver").isLessThanOrEqualTo(16);

            // node-1 returns with its broker's old messages: outdated, dropped
            int arrivalsBefore = ordered.total() + fragile.total();
            cluster.startNode(1);
            await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> queuedIn(1) == 0);
            cluster.awaitDrained(load, ordered, fragile, DEADLINE);
            assertThat(ordered.total() + fragile.total()).as("arrivals after node-1 came back").isEqualTo(arrivalsBefore);
            load.assertEachOnceAt(fragile);
        }
    }

    /** Pending deliveries whose current dispatch message is in the broker of the given node. */
    private long pendingIn(String node) {
        return database.count("select count(*) from COURIER_DELIVERY where DISPATCHED_BY = ? and STATE = 'PENDING'", node);
    }

    /** Messages in node {@code n}'s delivery queue (its broker's journal). */
    private long queuedIn(int n) {
        return BrokerState.queued(cluster.managementPort(n), "CourierDelivery");
    }
}
