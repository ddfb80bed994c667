package org.courier.ingest;

import java.util.List;
import org.courier.message.QualityOfService;
import org.courier.routing.AggregatorDefinition;
import org.courier.routing.ReceiverEndpoint;

/**
 * A send that passed every check and may be stored: its fields are valid, its route is known
 * and, for Exactly Once In Order, its queue exists. {@code receivers}: each receiver once (the
 * in-order lanes); {@code deliveries}: what each receiver gets, one entry per delivery to make
 * (several for one receiver when the route has branches to it or splits the message);
 * {@code collecting}: the aggregator that collects the message, or {@code null}.
 */
public record CheckedReceipt(SendCommand command, QualityOfService qos, String payloadHash,
                             List<ReceiverEndpoint> receivers, List<PlannedDelivery> deliveries, Collecting collecting) {

    /** A message its route hands to an aggregator: which one, and the message's correlation value. */
    public record Collecting(AggregatorDefinition aggregator, String correlation) {
    }

    /**
     * One delivery to make: to {@code receiver}, of {@code part} of the message ('' for the whole;
     * a branch, {@code item-<name>}, or {@code branch/item-<name>}), {@code partNo}-th of its parts
     * for that receiver, with {@code partPayload} (a split item) or the message's payload (null).
     */
    public record PlannedDelivery(ReceiverEndpoint receiver, String part, int partNo, String partPayload) {
    }
}
