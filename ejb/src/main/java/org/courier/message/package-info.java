/**
 * The stored message and its deliveries: what Courier has accepted from a sender and, per
 * receiver, whether it has been delivered.
 *
 * <p>A {@link org.courier.message.ReceivedMessage} exists once per (sender, message id): the
 * database's unique key on that pair is the idempotent receiver. A
 * {@link org.courier.message.Delivery} exists once per message and receiver and moves from
 * {@code PENDING} to {@code DELIVERED} exactly once.
 */
package org.courier.message;
