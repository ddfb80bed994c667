package org.courier.retention;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.courier.message.DeliveryState;

/**
 * The SQL of the purge (plain SQL for H2 and PostgreSQL: it reads the failure store's
 * {@code RESENDS} column, which the delivery entity does not need to expose to retention).
 *
 * <p>Per message: it is <em>settled</em> when no delivery is open (every one is final); it
 * settled at the latest of its deliveries' delivered and last-attempt times, or at its
 * acceptance if none was ever attempted (or it has no deliveries: a message handed to an
 * aggregator, whose content travels in the aggregate); it had <em>trouble</em> when a delivery went through
 * the failure store ({@code RESENDS > 0}) or was cancelled. It is due when it settled before
 * the first parameter (no trouble) or the second (trouble), see
 * {@link RetentionPolicy#settledBefore}.
 */
final class SettledMessages {

    private static final String FINAL_STATES = Arrays.stream(DeliveryState.values())
            .filter(DeliveryState::isFinal)
            .map(state -> "'" + state.name() + "'")
            .collect(Collectors.joining(", "));

    private static final String SETTLED = "SELECT m.ID AS ID,"
            + " COALESCE(MAX(CASE WHEN d.DELIVERED_AT IS NULL OR d.LAST_ATTEMPT_AT > d.DELIVERED_AT"
            + " THEN d.LAST_ATTEMPT_AT ELSE d.DELIVERED_AT END), m.ACCEPTED_AT) AS SETTLED_AT,"
            + " MAX(CASE WHEN d.RESENDS > 0 OR d.STATE = '" + DeliveryState.CANCELLED.name() + "' THEN 1 ELSE 0 END) AS TROUBLED,"
            + " SUM(CASE WHEN d.ID IS NULL OR d.STATE IN (" + FINAL_STATES + ") THEN 0 ELSE 1 END) AS OPEN_DELIVERIES"
            + " FROM COURIER_MESSAGE m LEFT JOIN COURIER_DELIVERY d ON d.MESSAGE_KEY = m.ID";

    private static final String DUE_CONDITION = " s.OPEN_DELIVERIES = 0"
            + " AND ((s.TROUBLED = 0 AND s.SETTLED_AT < ?) OR (s.TROUBLED = 1 AND s.SETTLED_AT < ?))";

    /** Keys of the due messages, longest settled first. Parameters: the two instants. */
    static final String DUE = "SELECT s.ID FROM (" + SETTLED + " GROUP BY m.ID, m.ACCEPTED_AT) s"
            + " WHERE" + DUE_CONDITION + " ORDER BY s.SETTLED_AT, s.ID";

    /** The key of one message if it is due. Parameters: its key, the two instants. */
    static final String DUE_ONE = "SELECT s.ID FROM (" + SETTLED + " WHERE m.ID = ? GROUP BY m.ID, m.ACCEPTED_AT) s"
            + " WHERE" + DUE_CONDITION;

    /** Lanes whose head is a delivery of the message. Parameter: its key. */
    static final String HEADS = "SELECT COUNT(*) FROM COURIER_LANE l JOIN COURIER_DELIVERY d ON l.HEAD_DELIVERY_ID = d.ID"
            + " WHERE d.MESSAGE_KEY = ?";

    /**
     * Copies the message's identity into its tombstone, unless one is there already (which the
     * receipt's tombstone check makes impossible). Parameters: the purge time, the message's key.
     */
    static final String BURY = "INSERT INTO COURIER_TOMBSTONE (SENDER, MESSAGE_ID, PAYLOAD_HASH, ACCEPTED_AT, PURGED_AT)"
            + " SELECT m.SENDER, m.MESSAGE_ID, m.PAYLOAD_HASH, m.ACCEPTED_AT, CAST(? AS TIMESTAMP) FROM COURIER_MESSAGE m"
            + " WHERE m.ID = ? AND NOT EXISTS (SELECT 1 FROM COURIER_TOMBSTONE t"
            + " WHERE t.SENDER = m.SENDER AND t.MESSAGE_ID = m.MESSAGE_ID)";

    private SettledMessages() {
    }
}
