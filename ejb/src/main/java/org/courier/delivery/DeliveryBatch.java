package org.courier.delivery;

import java.time.Duration;

/**
 * How many deliveries one delivery transaction settles: the message the broker handed the
 * delivery session, and then the further delivery messages waiting in the queue, taken one at a
 * time while the transaction is younger than {@link #budget()} and has settled fewer than
 * {@link #limit()}. One commit (of the database and of the broker) then settles all of them,
 * which is where a delivery's time went (docs/benchmark.md). Each further delivery also needs a
 * free place of {@link AttemptsInFlight}, which bounds the deliveries in flight on the node (by
 * default to one per delivery session, as when each transaction settled one).
 *
 * <p>A further message is taken only for a receiver whose recent attempts took less than the
 * budget: a slow receiver's request would hold the commit of the deliveries settled before it
 * (their rows stay locked, a non-idempotent receiver's attempt stays open) for as long as it
 * takes. Such a message is put back at once and the transaction ends; a session takes it next
 * as the first message of a transaction of its own.
 *
 * <p>Settings (system properties): {@value #LIMIT_PROPERTY}, default {@value #DEFAULT_LIMIT}: off,
 * each transaction settles one delivery (with the default bound of {@link AttemptsInFlight} a busy
 * node has no place for more, and looking for them cost more than it saved: docs/benchmark.md);
 * {@value #BUDGET_PROPERTY}, default {@value #DEFAULT_BUDGET_MILLIS} ms.
 */
record DeliveryBatch(int limit, Duration budget) {

    static final String LIMIT_PROPERTY = "courier.delivery.batch";
    static final String BUDGET_PROPERTY = "courier.delivery.batch-millis";
    static final int DEFAULT_LIMIT = 1;
    static final long DEFAULT_BUDGET_MILLIS = 50;
    /** How long a first message must have waited in the queue for a transaction to look for more. */
    static final Duration BACKLOG_SIGN = Duration.ofMillis(25);

    DeliveryBatch {
        if (limit < 1) {
            throw new IllegalArgumentException(LIMIT_PROPERTY + " must be at least 1, is " + limit);
        }
        if (budget.isNegative()) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must not be negative, is " + budget.toMillis());
        }
    }

    /** The settings of this server's system properties. */
    static DeliveryBatch configured() {
        return new DeliveryBatch(Integer.getInteger(LIMIT_PROPERTY, DEFAULT_LIMIT),
                Duration.ofMillis(Long.getLong(BUDGET_PROPERTY, DEFAULT_BUDGET_MILLIS)));
    }

    /**
     * Whether a message that waited this long since it was due says that others wait behind it. The
     * wait counts from the send, which comes before its transaction's commit (10-20 ms under load);
     * a queue without a backlog hands a message over within a millisecond or two of the commit.
     */
    boolean backlogShownBy(Duration waited) {
        return waited.compareTo(BACKLOG_SIGN) >= 0;
    }

    /** Whether a transaction that has settled {@code settled} deliveries in {@code elapsedNanos} takes another. */
    boolean takesAnother(int settled, long elapsedNanos) {
        return settled < limit && elapsedNanos < budget.toNanos();
    }

    /** Whether a further message for a receiver whose attempts take {@code pace} (zero: not measured yet) is delivered in this transaction. */
    boolean quickEnough(Duration pace) {
        return pace.compareTo(budget) < 0;
    }
}
