/**
 * Exactly Once In Order: the order of a sender's queue, kept per receiver in the database.
 *
 * <p>An {@link org.courier.sequencing.InOrderQueue} numbers the messages of one (sender,
 * queue id) under a row lock in the receipt transaction. A {@link org.courier.sequencing.QueueLane}
 * is that queue's stream to one receiver: it lets exactly one delivery out at a time (its
 * head) and keeps the later ones {@code HELD}, without JMS messages. Settling the head
 * (delivered, cancelled, or failed under policy {@code SKIP}) advances the lane under the
 * same lock and dispatches the next delivery in the same transaction.
 *
 * <p>Invariant: per lane at most one delivery is {@code PENDING} (it is the head), and the
 * head is the lowest sequence not yet settled. So no redelivery, no number of MDB instances
 * and no second cluster node can let a successor overtake: order rests on committed
 * database state, never on broker-local state such as message groups.
 */
package org.courier.sequencing;
