package org.courier.it;

import java.nio.file.Path;
import java.time.Duration;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierCluster;
import org.courier.it.support.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the cluster suites (classes named {@code *ClusterIT}, run by their own failsafe
 * execution): a fresh two-node cluster per class, started and stopped through
 * {@code server/courier-cluster.sh} with the cluster tests' routing (courier-cluster-test.xml), and a
 * client that talks to the balancer.
 */
abstract class ClusterTest {

    /** The idempotent receiver of interface Crash (in-order queues). */
    static final int IDEMPOTENT_PORT = 18085;
    /** The non-idempotent receiver of interface FragileStatus (in doubt: hold, with a status URL). */
    static final int FRAGILE_PORT = 18090;
    static final Duration DEADLINE = Duration.ofMinutes(4);

    static CourierCluster cluster;
    final CourierClient courier = new CourierClient(CourierCluster.BALANCER, TestUser.INTEGRATION);

    @BeforeAll
    static void startCluster() {
        cluster = CourierCluster.startFresh(Path.of(System.getProperty("courier.cluster.test.config")),
                CourierCluster.TEST_NODE_OPTIONS);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
