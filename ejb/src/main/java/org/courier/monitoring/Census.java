package org.courier.monitoring;

import java.time.Instant;
import java.util.Map;
import org.courier.message.DeliveryState;

/**
 * Where Courier's stored work stands at one moment, from the database: deliveries that are not
 * settled yet by receiver and state, blocked in-order lanes by receiver, and messages stored.
 */
public record Census(Instant takenAt, Map<String, Map<DeliveryState, Long>> openDeliveries,
                     Map<String, Long> blockedLanesByReceiver, long storedMessages) {

    public Census {
        openDeliveries = Map.copyOf(openDeliveries);
        blockedLanesByReceiver = Map.copyOf(blockedLanesByReceiver);
    }

    /** Deliveries to this receiver in one of these states. */
    public long deliveries(String receiver, DeliveryState... states) {
        Map<DeliveryState, Long> ofReceiver = openDeliveries.getOrDefault(receiver, Map.of());
        long sum = 0;
        for (DeliveryState state : states) {
            sum += ofReceiver.getOrDefault(state, 0L);
        }
        return sum;
    }

    public long blockedLanes(String receiver) {
        return blockedLanesByReceiver.getOrDefault(receiver, 0L);
    }

    /** In-order lanes of all receivers whose head waits for a resend or an operator. */
    public long blockedLanes() {
        return blockedLanesByReceiver.values().stream().mapToLong(Long::longValue).sum();
    }
}
