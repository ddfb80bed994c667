package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.time.Duration;
import java.util.logging.Logger;

import org.courier.it.support.ClusterLoad;
import org.courier.it.support.CourierCluster;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * Guarantees across the nodes of a cluster (docs/cluster.md): two WildFly nodes on one PostgreSQL
 * database behind HAProxy, started by {@code server/courier-cluster.sh} as an operator starts them.
 * Senders talk to the balancer only, so consecutive requests of one sender, and consecutive
 * messages of one in-order queue, are accepted by different nodes.
 *
 * <ul>
 *   <li>Exactly Once In Order over queues whose messages alternate between the nodes: every
 *       receiver gets each queue in the order of acceptance;</li>
 *   <li>Exactly Once to a non-idempotent receiver (in doubt: hold, with a status URL): each
 *       message arrives once, also across a kill -9 of a node;</li>
 *   <li>a node killed with kill -9 under load: the other keeps accepting and delivering while it
 *       is down, and after its restart nothing acknowledged is lost, nothing reordered, and no
 *       PostgreSQL transaction is left prepared (that node's recovery resolved its branches).</li>
 * </ul>
 * Run by {@code ./mvnw -Pcluster verify} (needs PostgreSQL and HAProxy: see README).
 */
class NodeKilledClusterIT extends ClusterTest {

    private static final Logger LOG = Logger.getLogger(NodeKilledClusterIT.class.getName());

    @Test
    void bothNodesAcceptAndDeliverInOrderAndNonIdempotentReceiversGetEachMessageOnce() throws Exception {
        String sender = "CLUSTER-" + hex(8);
        double acceptedBefore1 = accepted(1);
        double acceptedBefore2 = accepted(2);
        try (TestReceiver ordered = TestReceiver.start(IDEMPOTENT_PORT);
             TestReceiver fragile = TestReceiver.start(FRAGILE_PORT);
             ClusterLoad load = ClusterLoad.start(courier, sender)) {
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= 600);
            load.stop();

            cluster.awaitDrained(load, ordered, fragile, DEADLINE);
            assertThat(accepted(1) - acceptedBefore1).as("messages node-1 accepted").isGreaterThan(100);
            assertThat(accepted(2) - acceptedBefore2).as("messages node-2 accepted").isGreaterThan(100);
            load.assertInOrderAt(ordered);
            load.assertEachOnceAt(fragile);
            assertThat(ReceiverLedger.of(ordered).repeats(sender)).as("repeats without any crash").isZero();
        }
    }

    @Test
    void aNodeKilledUnderLoadLosesNothingAndTheOtherCarriesOnMeanwhile() throws Exception {
        String sender = "CLUSTER-" + hex(8);
        try (TestReceiver ordered = TestReceiver.start(IDEMPOTENT_PORT);
             TestReceiver fragile = TestReceiver.start(FRAGILE_PORT);
             ClusterLoad load = ClusterLoad.start(courier, sender)) {
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= 200);

            cluster.kill(1);
            int atKill = load.acknowledged().size();
            double acceptedBy2 = accepted(2);
            // the other node keeps accepting and delivering while node-1 is down
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= atKill + 200);
            assertThat(accepted(2) - acceptedBy2).as("accepted by node-2 while node-1 was down").isGreaterThanOrEqualTo(150);
            int arrivedWhileDown = fragile.total();
            await().atMost(DEADLINE).until(() -> fragile.total() > arrivedWhileDown + 50);

            cluster.startNode(1);
            int atRestart = load.acknowledged().size();
            await().atMost(DEADLINE).until(() -> load.acknowledged().size() >= atRestart + 100);
            load.stop();

            cluster.awaitDrained(load, ordered, fragile, DEADLINE);
            load.assertInOrderAt(ordered);
            load.assertEachOnceAt(fragile);
            LOG.info("kill -9 of node-1 at " + atKill + " acknowledged; " + load.acknowledged().size() + " acknowledged in all; "
                    + ReceiverLedger.of(ordered).repeats(sender) + " repeats at the idempotent receiver; "
                    + fragile.statusChecks() + " status checks at the non-idempotent one");
            // a repeat is a delivery in flight at the kill: at most the killed node's delivery sessions
            assertThat(ReceiverLedger.of(ordered).repeats(sender)).as("repeats at the idempotent receiver").isLessThanOrEqualTo(16);
        }
    }

    private double accepted(int node) {
        return cluster.metrics(node).sum("courier_messages_accepted_total");
    }
}
