package org.courier.operations;

import java.util.ArrayList;
import java.util.List;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * One page of the list of in-order queues, in plain SQL for H2 and PostgreSQL: the queues
 * with a lane in the asked state (all if none is asked), of one sender if one is asked, that the
 * operator may see; queues with a blocked lane first, then by sender and queue id. The page is cut
 * in the database: it asks for one row more than it shows, to know whether more follow.
 *
 * <p>What an operator may see: the queues of its senders; bound to interfaces, only those that
 * hold a stored message of one of them (a delivery of its lanes belongs to such a message). The
 * view of one queue asks the same question ({@link #one}), so a queue is shown exactly when it
 * would be listed.
 */
final class QueueListing {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    private static final String HAS_LANE = "EXISTS (SELECT 1 FROM COURIER_LANE l WHERE l.QUEUE_KEY = q.ID AND ";
    private static final String HOLDS = "EXISTS (SELECT 1 FROM COURIER_LANE sl JOIN COURIER_DELIVERY sd ON sd.LANE_ID = sl.ID"
            + " JOIN COURIER_MESSAGE sm ON sm.ID = sd.MESSAGE_KEY WHERE sl.QUEUE_KEY = q.ID AND ";

    private final OperatorScope scope;
    private final LaneState state;
    private final String sender;
    private final String queueId;
    private final int limit;
    private final int offset;

    private QueueListing(OperatorScope scope, LaneState state, String sender, String queueId, int limit, int offset) {
        this.scope = scope;
        this.state = state;
        this.sender = sender;
        this.queueId = queueId;
        this.limit = limit;
        this.offset = offset;
    }

    /**
     * A listing of the queues within {@code scope} in this state (null or blank: any) of this sender
     * (null or blank: any), {@code limit} (null: {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT})
     * queues from {@code offset} (null: 0); out-of-range values are refused as invalid.
     */
    static QueueListing of(OperatorScope scope, String state, String sender, Integer limit, Integer offset) {
        int rows = limit == null ? DEFAULT_LIMIT : limit;
        int skipped = offset == null ? 0 : offset;
        if (rows < 1 || rows > MAX_LIMIT) {
            throw new ActionRefused(ActionRefused.Reason.INVALID, "limit must be between 1 and " + MAX_LIMIT);
        }
        if (skipped < 0) {
            throw new ActionRefused(ActionRefused.Reason.INVALID, "offset must not be negative");
        }
        return new QueueListing(scope, blank(state) ? null : LaneState.named(state), blank(sender) ? null : sender.strip(),
                null, rows, skipped);
    }

    /** The one queue (sender, queue id), if the operator may see it. */
    static QueueListing one(OperatorScope scope, String sender, String queueId) {
        return new QueueListing(scope, null, sender, queueId, 1, 0);
    }

    /** Selects the keys (COURIER_QUEUE.ID) of the page's queues, plus one more if there is one. */
    String sql() {
        StringBuilder sql = new StringBuilder("SELECT q.ID, CASE WHEN ").append(HAS_LANE)
                .append(LaneState.BLOCKED.condition()).append(") THEN 0 ELSE 1 END AS BLOCKED_FIRST")
                .append(" FROM COURIER_QUEUE q WHERE 1 = 1");
        if (sender != null) {
            sql.append(" AND q.SENDER = ?");
        }
        if (queueId != null) {
            sql.append(" AND q.QUEUE_ID = ?");
        }
        ScopeCondition senders = sendersVisible();
        if (senders.restricts()) {
            sql.append(" AND ").append(senders.text());
        }
        ScopeCondition interfaces = interfacesHeld();
        if (interfaces.restricts()) {
            sql.append(" AND ").append(HOLDS).append(interfaces.text()).append(')');
        }
        if (state != null) {
            sql.append(" AND ").append(HAS_LANE).append(state.condition()).append(')');
        }
        return sql.append(" ORDER BY BLOCKED_FIRST, q.SENDER, q.QUEUE_ID OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")
                .toString();
    }

    /** The values of {@link #sql()}'s parameters, in order. */
    List<Object> parameters() {
        List<Object> parameters = new ArrayList<>();
        if (sender != null) {
            parameters.add(sender);
        }
        if (queueId != null) {
            parameters.add(queueId);
        }
        parameters.addAll(sendersVisible().parameters());
        parameters.addAll(interfacesHeld().parameters());
        parameters.add(offset);
        parameters.add(limit + 1);
        return parameters;
    }

    int limit() {
        return limit;
    }

    int offset() {
        return offset;
    }

    private ScopeCondition sendersVisible() {
        return ScopeCondition.sql(scope, "q.SENDER", null);
    }

    private ScopeCondition interfacesHeld() {
        return ScopeCondition.sql(scope, null, "sm.INTERFACE_NAME");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
