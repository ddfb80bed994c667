package org.courier.aggregation;

/**
 * A complete aggregate, to be accepted as an Exactly Once message in the transaction that
 * released it: from {@code sender} (the aggregator's name), of its interface, with its
 * deterministic id.
 */
public record ReleasedAggregate(String sender, String interfaceName, String messageId, String payload, int members) {
}
