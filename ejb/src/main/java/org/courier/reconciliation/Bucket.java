package org.courier.reconciliation;

import java.util.Optional;
import org.courier.message.DeliveryState;

/**
 * Where a delivery counts in a reconciliation. Every {@link DeliveryState} is placed explicitly:
 * a state added later does not compile here until it is placed, and a state name read from the
 * database that this version does not know has no bucket (the report lists it as unbalanced).
 */
public enum Bucket {
    /** The receiver has it: DELIVERED (by a 2xx answer or an operator's word). */
    DELIVERED,
    /** Still on its way: PENDING (queued or being retried) and HELD (behind an earlier message of its in-order queue). */
    PENDING,
    /** In the failure store: FAILED (resent on a schedule) and ERROR (waits for an operator). */
    FAILED,
    /** CANCELLED by an operator: never sent. */
    CANCELLED,
    /** IN_DOUBT: a non-idempotent receiver may or may not have it. */
    IN_DOUBT;

    /** The bucket of a delivery in this state. */
    public static Bucket of(DeliveryState state) {
        return switch (state) {
            case DELIVERED -> DELIVERED;
            case PENDING, HELD -> PENDING;
            case FAILED, ERROR -> FAILED;
            case CANCELLED -> CANCELLED;
            case IN_DOUBT -> IN_DOUBT;
        };
    }

    /** The bucket of a state stored under this name; empty for a name no {@link DeliveryState} has. */
    public static Optional<Bucket> ofStored(String stateName) {
        for (DeliveryState state : DeliveryState.values()) {
            if (state.name().equals(stateName)) {
                return Optional.of(of(state));
            }
        }
        return Optional.empty();
    }
}
