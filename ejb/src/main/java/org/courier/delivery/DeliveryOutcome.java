package org.courier.delivery;

/** How one delivery attempt ended, and whether its JMS message may be consumed. */
public enum DeliveryOutcome {
    /** The receiver answered 2xx and the delivery is marked delivered: consume. */
    DELIVERED(true),
    /** It had been delivered before (a broker redelivery): consume, send nothing. */
    ALREADY_DELIVERED(true),
    /** The receiver failed; the attempt is recorded: roll back, the broker retries later. */
    FAILED(false),
    /** The receipt's database commit is not visible yet (XA branches commit in turn): retry later. */
    NOT_VISIBLE_YET(false);

    private final boolean settled;

    DeliveryOutcome(boolean settled) {
        this.settled = settled;
    }

    public boolean settled() {
        return settled;
    }
}
