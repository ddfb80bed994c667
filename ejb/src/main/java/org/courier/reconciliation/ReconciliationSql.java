package org.courier.reconciliation;

/**
 * The SQL of a reconciliation (plain SQL for H2 and PostgreSQL: it reads delivery states as
 * stored, so that a state this version does not know is seen, not lost in mapping). Every query
 * starts with the window's parameters: sender, from (inclusive), to (exclusive); they use the
 * index on (SENDER, ACCEPTED_AT) and the delivery key on MESSAGE_KEY.
 */
final class ReconciliationSql {

    private static final String WINDOW = " m.SENDER = ? AND m.ACCEPTED_AT >= ? AND m.ACCEPTED_AT < ?";
    private static final String HAS_DELIVERY = "EXISTS (SELECT 1 FROM COURIER_DELIVERY d WHERE d.MESSAGE_KEY = m.ID)";

    /** Per interface: messages with (1) and without (0) any delivery. Columns: interface, 1 or 0, count. */
    static final String MESSAGES = "SELECT x.INTERFACE_NAME, x.HAS_DELIVERY, COUNT(*) FROM (SELECT m.INTERFACE_NAME AS"
            + " INTERFACE_NAME, CASE WHEN " + HAS_DELIVERY + " THEN 1 ELSE 0 END AS HAS_DELIVERY FROM COURIER_MESSAGE m"
            + " WHERE" + WINDOW + ") x GROUP BY x.INTERFACE_NAME, x.HAS_DELIVERY";

    /** Deliveries per receiver and stored state. Columns: receiver, state, count. */
    static final String STATES = "SELECT d.RECEIVER, d.STATE, COUNT(*) FROM COURIER_MESSAGE m JOIN COURIER_DELIVERY d"
            + " ON d.MESSAGE_KEY = m.ID WHERE" + WINDOW + " GROUP BY d.RECEIVER, d.STATE";

    /** Parts recorded more than once for a receiver. Columns: message id, receiver, part, rows. */
    static final String DUPLICATES = "SELECT m.MESSAGE_ID, d.RECEIVER, d.PART, COUNT(*) FROM COURIER_MESSAGE m"
            + " JOIN COURIER_DELIVERY d ON d.MESSAGE_KEY = m.ID WHERE" + WINDOW
            + " GROUP BY m.MESSAGE_ID, d.RECEIVER, d.PART HAVING COUNT(*) > 1";

    /** Message ids with a delivery to a receiver in a stored state; further parameters: receiver, state. */
    static final String IN_STATE = "SELECT m.MESSAGE_ID FROM COURIER_MESSAGE m JOIN COURIER_DELIVERY d"
            + " ON d.MESSAGE_KEY = m.ID WHERE" + WINDOW + " AND d.RECEIVER = ? AND d.STATE = ? ORDER BY m.ACCEPTED_AT, m.ID";

    /** Message ids of an interface without any delivery; further parameter: interface. */
    static final String WITHOUT_DELIVERY = "SELECT m.MESSAGE_ID FROM COURIER_MESSAGE m WHERE" + WINDOW
            + " AND m.INTERFACE_NAME = ? AND NOT " + HAS_DELIVERY + " ORDER BY m.ACCEPTED_AT, m.ID";

    private static final String MISSING_CONDITION = " FROM COURIER_MESSAGE m WHERE" + WINDOW + " AND m.INTERFACE_NAME = ?"
            + " AND " + HAS_DELIVERY
            + " AND NOT EXISTS (SELECT 1 FROM COURIER_DELIVERY r WHERE r.MESSAGE_KEY = m.ID AND r.RECEIVER = ?)";

    /**
     * How many messages of an interface have deliveries, but none to a receiver; further
     * parameters: interface, receiver.
     */
    static final String COUNT_MISSING = "SELECT COUNT(*)" + MISSING_CONDITION;

    /** Their message ids. */
    static final String MISSING = "SELECT m.MESSAGE_ID" + MISSING_CONDITION + " ORDER BY m.ACCEPTED_AT, m.ID";

    private ReconciliationSql() {
    }
}
