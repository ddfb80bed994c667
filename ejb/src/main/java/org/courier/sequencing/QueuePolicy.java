package org.courier.sequencing;

/** What an in-order queue does when a delivery fails for good. */
public enum QueuePolicy {
    /** The queue stops for that receiver until an operator resends or cancels the failed message (default). */
    BLOCK,
    /** The failed message is left FAILED (downgraded to Exactly Once) and the queue goes on. */
    SKIP
}
