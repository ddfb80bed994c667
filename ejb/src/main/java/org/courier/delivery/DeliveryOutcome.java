package org.courier.delivery;

/** How one delivery attempt ended, and whether its JMS message may be consumed. */
public enum DeliveryOutcome {
    /** The receiver answered 2xx and the delivery is marked delivered: consume. */
    DELIVERED(true, true),
    /** It was delivered or cancelled before (a broker redelivery, an operator's cancel): consume, send nothing. */
    ALREADY_SETTLED(true, false),
    /** Left over from an earlier dispatch, or its dispatch has ended: consume, send nothing. */
    OUTDATED(true, false),
    /** The last allowed attempt failed: the delivery is FAILED and waits for an operator; consume. */
    GAVE_UP(true, true),
    /** A non-idempotent receiver may have processed it, and its policy holds it for an operator: consume. */
    IN_DOUBT(true, true),
    /** Its receiver is down or in maintenance: the delivery waits for it, nothing was sent: consume. */
    WAITING(true, false),
    /** The receiver failed; the attempt is recorded and the next one dispatched with a delay: consume. */
    RETRY_SCHEDULED(true, true),
    /** The delivery's row is locked by another transaction (one left in doubt by a crash): roll back, retry later. */
    BUSY(false, false),
    /**
     * The transaction that dispatched it has not finished committing in the database (XA
     * branches commit in turn), so the row is missing or still shows its earlier state: retry later.
     */
    NOT_VISIBLE_YET(false, false);

    private final boolean settled;
    private final boolean askedReceiver;

    DeliveryOutcome(boolean settled, boolean askedReceiver) {
        this.settled = settled;
        this.askedReceiver = askedReceiver;
    }

    public boolean settled() {
        return settled;
    }

    /**
     * Whether reaching this outcome may have involved the receiver (a request, or a question about
     * one in doubt), so that the time it took counts in the receiver's pace ({@link ReceiverSlots});
     * false for the outcomes reached without sending anything: a locked or not yet visible row, a
     * delivery settled already or waiting for its receiver.
     */
    public boolean askedReceiver() {
        return askedReceiver;
    }
}
