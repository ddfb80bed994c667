package org.courier.message;

/** How a JMS message of the delivery queue relates to the delivery it names, as stored now. */
public enum DispatchCheck {
    /** The message of the delivery's latest dispatch, and the delivery is PENDING: make the attempt. */
    CURRENT,
    /**
     * The message is newer than the stored row: the transaction that dispatched it has not
     * finished committing in the database (XA branches commit in turn). Retry later.
     */
    NOT_VISIBLE_YET,
    /** Delivered or cancelled: nothing is ever sent again. */
    SETTLED,
    /**
     * Left over from an earlier dispatch (a broker redelivery that outlived its round), or its
     * dispatch has ended already (failed into the store, held, in doubt): drop it, send nothing.
     */
    OUTDATED
}
