package org.courier.operations;

/**
 * How a lane of an in-order queue stands, judged by its head: {@code IDLE} (no head: nothing
 * waits), {@code FLOWING} (the head is PENDING and not tried yet: it is on its way) or
 * {@code BLOCKED} (the head has failed at least once, or stopped: FAILED, ERROR, IN_DOUBT).
 * The view of one queue, the list of queues, the gauge {@code courier_lanes_blocked} and the
 * readiness check judge alike: {@link #condition()} is this
 * rule in SQL.
 */
public enum LaneState {
    IDLE("NOT EXISTS (SELECT 1 FROM COURIER_DELIVERY d WHERE d.ID = l.HEAD_DELIVERY_ID)"),
    FLOWING("EXISTS (SELECT 1 FROM COURIER_DELIVERY d WHERE d.ID = l.HEAD_DELIVERY_ID"
            + " AND d.STATE = 'PENDING' AND d.ATTEMPTS = 0)"),
    BLOCKED("EXISTS (SELECT 1 FROM COURIER_DELIVERY d WHERE d.ID = l.HEAD_DELIVERY_ID"
            + " AND (d.STATE <> 'PENDING' OR d.ATTEMPTS > 0))");

    private final String condition;

    LaneState(String condition) {
        this.condition = condition;
    }

    /** The state of a lane whose head is in this state after this many attempts. */
    public static LaneState of(String headState, int attempts) {
        return !"PENDING".equals(headState) || attempts > 0 ? BLOCKED : FLOWING;
    }

    /** The state named (case-insensitive); anything else is refused as invalid. */
    public static LaneState named(String name) {
        for (LaneState state : values()) {
            if (state.name().equalsIgnoreCase(name.strip())) {
                return state;
            }
        }
        throw new ActionRefused(ActionRefused.Reason.INVALID, "state '" + name + "' is not BLOCKED, FLOWING or IDLE");
    }

    /** SQL that holds for a lane (alias {@code l}, a row of COURIER_LANE) in this state. */
    String condition() {
        return condition;
    }
}
