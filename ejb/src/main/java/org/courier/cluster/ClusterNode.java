package org.courier.cluster;

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

    private ClusterNode() {
    }
}
