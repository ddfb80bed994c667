package org.courier.reconciliation;

import java.util.List;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * The SQL of a reconciliation (plain SQL for H2 and PostgreSQL: it reads delivery states as
 * stored, so that a state this version does not know is seen, not lost in mapping). Every query
 * starts with the window's parameters: sender, from (inclusive), to (exclusive), then those of
 * the operator's scope ({@link #scopeParameters()}); they use the index on (SENDER, ACCEPTED_AT)
 * and the delivery key on MESSAGE_KEY. The scope is part of the window: a report counts only the
 * messages the operator may see, and a sender outside its scope reads as one that sent nothing.
 */
final class ReconciliationSql {

    private static final String HAS_DELIVERY = "EXISTS (SELECT 1 FROM COURIER_DELIVERY d WHERE d.MESSAGE_KEY = m.ID)";

    private final String window;
    private final List<Object> scopeParameters;

    ReconciliationSql(OperatorScope scope) {
        ScopeCondition visible = ScopeCondition.sql(scope, "m.SENDER", "m.INTERFACE_NAME");
        this.window = " m.SENDER = ? AND m.ACCEPTED_AT >= ? AND m.ACCEPTED_AT < ?"
                + (visible.restricts() ? " AND " + visible.text() : "");
        this.scopeParameters = visible.parameters();
    }

    /** The values of the scope's markers, bound right after the window's three. */
    List<Object> scopeParameters() {
        return scopeParameters;
    }

    /** Per interface: messages with (1) and without (0) any delivery. Columns: interface, 1 or 0, count. */
    String messages() {
        return "SELECT x.INTERFACE_NAME, x.HAS_DELIVERY, COUNT(*) FROM (SELECT m.INTERFACE_NAME AS"
                + " INTERFACE_NAME, CASE WHEN " + HAS_DELIVERY + " THEN 1 ELSE 0 END AS HAS_DELIVERY FROM COURIER_MESSAGE m"
                + " WHERE" + window + ") x GROUP BY x.INTERFACE_NAME, x.HAS_DELIVERY";
    }

    /** Deliveries per receiver and stored state. Columns: receiver, state, count. */
    String states() {
        return "SELECT d.RECEIVER, d.STATE, COUNT(*) FROM COURIER_MESSAGE m JOIN COURIER_DELIVERY d"
                + " ON d.MESSAGE_KEY = m.ID WHERE" + window + " GROUP BY d.RECEIVER, d.STATE";
    }

    /** Parts recorded more than once for a receiver. Columns: message id, receiver, part, rows. */
    String duplicates() {
        return "SELECT m.MESSAGE_ID, d.RECEIVER, d.PART, COUNT(*) FROM COURIER_MESSAGE m"
                + " JOIN COURIER_DELIVERY d ON d.MESSAGE_KEY = m.ID WHERE" + window
                + " GROUP BY m.MESSAGE_ID, d.RECEIVER, d.PART HAVING COUNT(*) > 1";
    }

    /** Message ids with a delivery to a receiver in a stored state; further parameters: receiver, state. */
    String inState() {
        return "SELECT m.MESSAGE_ID FROM COURIER_MESSAGE m JOIN COURIER_DELIVERY d"
                + " ON d.MESSAGE_KEY = m.ID WHERE" + window + " AND d.RECEIVER = ? AND d.STATE = ? ORDER BY m.ACCEPTED_AT, m.ID";
    }

    /** Message ids of an interface without any delivery; further parameter: interface. */
    String withoutDelivery() {
        return "SELECT m.MESSAGE_ID FROM COURIER_MESSAGE m WHERE" + window
                + " AND m.INTERFACE_NAME = ? AND NOT " + HAS_DELIVERY + " ORDER BY m.ACCEPTED_AT, m.ID";
    }

    /**
     * How many messages of an interface have deliveries, but none to a receiver; further
     * parameters: interface, receiver.
     */
    String countMissing() {
        return "SELECT COUNT(*)" + missingCondition();
    }

    /** Their message ids. */
    String missing() {
        return "SELECT m.MESSAGE_ID" + missingCondition() + " ORDER BY m.ACCEPTED_AT, m.ID";
    }

    private String missingCondition() {
        return " FROM COURIER_MESSAGE m WHERE" + window + " AND m.INTERFACE_NAME = ?"
                + " AND " + HAS_DELIVERY
                + " AND NOT EXISTS (SELECT 1 FROM COURIER_DELIVERY r WHERE r.MESSAGE_KEY = m.ID AND r.RECEIVER = ?)";
    }
}
