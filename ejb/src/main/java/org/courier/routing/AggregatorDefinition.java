package org.courier.routing;

import java.time.Duration;
import java.util.Objects;
import org.courier.idmapping.PayloadIdentity;

/**
 * An aggregator, declared by an {@code <aggregator>} element: messages that a route hands to it
 * ({@code <aggregate aggregator="..."/>}) are collected per correlation value and released as
 * one message of {@code interfaceName}, sent by the aggregator itself (sender = its name), when
 * {@code completeCount} messages are in or {@code timeout} after the first one came.
 *
 * <p>A parsed configuration holds only aggregators with a route for their released messages
 * that does not aggregate again, and at least one completion condition.
 *
 * @param name           1-60 characters of {@code A-Z a-z 0-9 . _ -}: the sender of the released messages
 * @param interfaceName  the interface of the released messages
 * @param correlation    the XPath whose value groups messages ({@code correlation} attribute)
 * @param completeCount  how many messages complete an aggregate, or 0: only the timeout does
 * @param timeout        how long after its first message an aggregate is released anyway, or
 *                       {@code null}: only the count does
 */
public record AggregatorDefinition(String name, String interfaceName, PayloadIdentity.XPaths correlation,
                                   int completeCount, Duration timeout) {

    /** The most messages one aggregate may collect. */
    public static final int MAX_MEMBERS = 1000;

    public AggregatorDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(correlation, "correlation");
        if (completeCount == 0 && timeout == null) {
            throw new IllegalArgumentException("an aggregator needs complete-count, timeout-seconds or both");
        }
    }

    /** The number of members that releases an aggregate: the complete count, else the maximum. */
    public int releaseCount() {
        return completeCount > 0 ? completeCount : MAX_MEMBERS;
    }
}
