package org.courier.routing;

import java.util.List;
import java.util.Objects;

/**
 * A route: messages of one interface from one sender (or from any sender) go to a fixed,
 * ordered list of receivers. Declared by a {@code <route>} element with its {@code <to>}
 * children.
 *
 * <p>In a parsed configuration each (sender, interface) pair has at most one route, the
 * list of receivers is non-empty, names each receiver at most once and refers only to
 * declared receivers.
 *
 * @param sender        the sending system's name, or {@link #ANY_SENDER} for every sender
 *                      that has no route of its own for this interface
 * @param interfaceName the message interface, e.g. {@code SampleOrder}
 * @param receiverNames the receivers the message is delivered to, in declaration order
 */
public record Route(String sender, String interfaceName, List<String> receiverNames) {

    /** The sender value of a route that applies to every sender without an exact route. */
    public static final String ANY_SENDER = "*";

    /** Rejects missing values and keeps an unmodifiable copy of the receiver names. */
    public Route {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(interfaceName, "interfaceName");
        receiverNames = List.copyOf(receiverNames);
    }

    /** Whether this route applies to any sender, i.e. its sender is {@code *}. */
    public boolean anySender() {
        return ANY_SENDER.equals(sender);
    }
}
