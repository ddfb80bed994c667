package org.courier.cluster;

import java.util.UUID;

/**
 * This node's identity in the cluster: {@code -Dcourier.node.id}, the same id the transaction
 * manager writes into every transaction id of the node (server/cli/configure-courier.cli), and so
 * at most 23 bytes; {@value #DEFAULT} on a single server.
 */
public final class ClusterNode {

    public static final String PROPERTY = "courier.node.id";
    public static final String DEFAULT = "courier-1";
    /** This node's id. */
    public static final String ID = System.getProperty(PROPERTY, DEFAULT);
    /**
     * This start of the node's deployment: new at every start (or redeployment), so a batch run the
     * node left running when it stopped is told from one it runs now ({@link SharedJobRuns}).
     */
    public static final String INCARNATION = UUID.randomUUID().toString();

    private ClusterNode() {
    }
}
