package org.courier.operations;

/** What an operator's bulk action does to each delivery it covers (of the failure store, or held in doubt). */
public enum BulkAction {
    /** Sent again now, with a fresh count of attempts (as a single resend). */
    RESEND,
    /** Never delivered (as a single cancel): an in-order queue's next message follows. */
    CANCEL,
    /** Declared delivered: the receiver has it (as a single declaration); nothing is sent, an in-order queue goes on. */
    DECLARE_DELIVERED
}
