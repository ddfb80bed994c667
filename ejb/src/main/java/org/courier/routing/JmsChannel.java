package org.courier.routing;

import java.util.Objects;

/**
 * An inbound JMS channel ({@code <jms-channel>}): a queue of another broker, reached through
 * WildFly's pooled connection factory as a JMS receiver's is ({@link JmsDestination}), whose messages
 * Courier takes as messages of {@code sender} for {@code interfaceName}: Exactly Once, or in order
 * into {@code queueId}. A message refused for good goes to {@code deadLetterQueue} on the same broker.
 *
 * @param name            the channel's name, unique among the JMS channels
 * @param source          the queue it takes messages from, and the connection factory
 * @param sender          the sender its messages come from
 * @param interfaceName   the interface they are sent as
 * @param inOrder         Exactly Once In Order (into {@code queueId}) rather than Exactly Once
 * @param queueId         the in-order queue id, or {@code null}
 * @param deadLetterQueue where a message refused for good goes, with the reason as a property
 */
public record JmsChannel(String name, JmsDestination source, String sender, String interfaceName, boolean inOrder,
                         String queueId, String deadLetterQueue) {

    /** The dead-letter queue of a channel that names none: the source queue's name and {@value}. */
    public static final String DEAD_LETTER_SUFFIX = ".refused";

    public JmsChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
    }

    /** The quality of service of its messages, as senders name it. */
    public String qualityOfService() {
        return inOrder ? "ExactlyOnceInOrder" : "ExactlyOnce";
    }
}
