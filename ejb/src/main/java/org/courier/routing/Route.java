package org.courier.routing;

import java.util.List;
import java.util.Objects;
import org.courier.content.ItemSplit;
import org.courier.idmapping.IdFormat;
import org.courier.idmapping.PayloadIdentity;

/**
 * A route: messages of one interface from one sender (or from any sender) go to a fixed,
 * ordered list of targets. Declared by a {@code <route>} element with its {@code <to>}
 * children.
 *
 * <p>A target is a receiver, or a named <em>branch</em> to a receiver: a receiver may get one
 * message several times, once per branch (multicast), each as its own delivery with its own
 * id. A route may also <em>split</em> each message into items, each delivered on its own to
 * every target.
 *
 * <p>In a parsed configuration each (sender, interface) pair has at most one route, the list
 * of targets is non-empty unless the route aggregates, names each (receiver, branch) at most once and refers only to
 * declared receivers.
 *
 * @param sender          the sending system's name, or {@link #ANY_SENDER} for every sender
 *                        that has no route of its own for this interface
 * @param interfaceName   the message interface, e.g. {@code SampleOrder}
 * @param targets         where the message goes, in declaration order
 * @param messageIdentity how a message of this route that comes without a message id gets one
 *                        from its payload ({@code <message-id>} children), or {@code null}: a
 *                        message id is required
 * @param split           how messages are cut into items ({@code <split>}), or {@code null}
 * @param senderIdFormat  the form the sender's message ids must have ({@code message-id-format}),
 *                        checked on the way in, or {@code null}: any valid message id
 * @param callMode        how a synchronous call of the interface is made ({@code call})
 * @param aggregator      the aggregator that collects the route's messages ({@code <aggregate>}), or
 *                        {@code null}; a route with an aggregator may have no targets
 */
public record Route(String sender, String interfaceName, List<Target> targets, PayloadIdentity messageIdentity,
                    ItemSplit split, IdFormat senderIdFormat, CallMode callMode, String aggregator) {

    /** The sender value of a route that applies to every sender without an exact route. */
    public static final String ANY_SENDER = "*";

    /** A receiver, or a branch to it ({@code branch} non-empty). */
    public record Target(String receiver, String branch) {
        public Target {
            Objects.requireNonNull(receiver, "receiver");
            Objects.requireNonNull(branch, "branch");
        }
    }

    /** Rejects missing values and keeps an unmodifiable copy of the targets. */
    public Route {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(callMode, "callMode");
        targets = List.copyOf(targets);
    }

    /** A route of plain targets (one copy per receiver), no ids from the payload, no split. */
    public Route(String sender, String interfaceName, List<String> receiverNames) {
        this(sender, interfaceName, receiverNames.stream().map(name -> new Target(name, "")).toList(), null, null, null,
                CallMode.BEST_EFFORT, null);
    }

    /** The receivers the message goes to, each once, in declaration order. */
    public List<String> receiverNames() {
        return targets.stream().map(Target::receiver).distinct().toList();
    }

    /** Whether this route applies to any sender, i.e. its sender is {@code *}. */
    public boolean anySender() {
        return ANY_SENDER.equals(sender);
    }
}
