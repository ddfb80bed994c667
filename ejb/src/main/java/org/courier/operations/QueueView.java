package org.courier.operations;

import java.util.List;

/** An in-order queue as an operator sees it: its policy, how far it is numbered, and each receiver's lane. */
public record QueueView(String sender, String queueId, String policy, long lastSequence, List<Lane> lanes) {

    /**
     * A lane: {@code IDLE} (nothing waiting), {@code FLOWING} (its head is on its way) or
     * {@code BLOCKED} (its head has failed at least once), see {@link LaneState}, and how many
     * messages are held behind it. {@code held} and {@code head} count and show only messages the
     * operator may see: a lane whose head is of an interface outside its scope is BLOCKED or
     * FLOWING with {@code head} null.
     */
    public record Lane(String receiver, String state, long held, Head head) {
    }

    /** The one message of a lane that may go out now. */
    public record Head(String messageId, long sequence, String state, int attempts, String lastError) {
    }
}
