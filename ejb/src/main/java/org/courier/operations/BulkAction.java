package org.courier.operations;

/** What an operator's bulk action does to each delivery of the failure store it covers. */
public enum BulkAction {
    /** Sent again now, with a fresh count of attempts (as a single resend). */
    RESEND,
    /** Never delivered (as a single cancel): an in-order queue's next message follows. */
    CANCEL
}
