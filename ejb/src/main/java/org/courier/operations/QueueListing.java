package org.courier.operations;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of the list of in-order queues, in plain SQL for H2 and PostgreSQL: the queues
 * with a lane in the asked state (all if none is asked), of one sender if one is asked;
 * queues with a blocked lane first, then by sender and queue id. The page is cut in the
 * database: it asks for one row more than it shows, to know whether more follow.
 */
final class QueueListing {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    private static final String HAS_LANE = "EXISTS (SELECT 1 FROM COURIER_LANE l WHERE l.QUEUE_KEY = q.ID AND ";

    private final LaneState state;
    private final String sender;
    private final int limit;
    private final int offset;

    private QueueListing(LaneState state, String sender, int limit, int offset) {
        this.state = state;
        this.sender = sender;
        this.limit = limit;
        this.offset = offset;
    }

    /**
     * A listing of the queues in this state (null or blank: any) of this sender (null or
     * blank: any), {@code limit} (null: {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT})
     * queues from {@code offset} (null: 0); out-of-range values are refused as invalid.
     */
    static QueueListing of(String state, String sender, Integer limit, Integer offset) {
        int rows = limit == null ? DEFAULT_LIMIT : limit;
        int skipped = offset == null ? 0 : offset;
        if (rows < 1 || rows > MAX_LIMIT) {
            throw new ActionRefused(ActionRefused.Reason.INVALID, "limit must be between 1 and " + MAX_LIMIT);
        }
        if (skipped < 0) {
            throw new ActionRefused(ActionRefused.Reason.INVALID, "offset must not be negative");
        }
        return new QueueListing(blank(state) ? null : LaneState.named(state), blank(sender) ? null : sender.strip(),
                rows, skipped);
    }

    /** Selects the keys (COURIER_QUEUE.ID) of the page's queues, plus one more if there is one. */
    String sql() {
        StringBuilder sql = new StringBuilder("SELECT q.ID, CASE WHEN ").append(HAS_LANE)
                .append(LaneState.BLOCKED.condition()).append(") THEN 0 ELSE 1 END AS BLOCKED_FIRST")
                .append(" FROM COURIER_QUEUE q WHERE 1 = 1");
        if (sender != null) {
            sql.append(" AND q.SENDER = ?");
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

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
