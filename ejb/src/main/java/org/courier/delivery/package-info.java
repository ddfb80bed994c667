/**
 * Delivery of accepted messages to receivers over HTTP, one JMS message per message and
 * receiver, consumed by a message-driven bean inside an XA transaction.
 *
 * <p>Invariants: a delivery is marked {@code DELIVERED} in the same transaction that
 * consumes its JMS message, so a crash before that commit makes the broker deliver it
 * again; a delivery already {@code DELIVERED} is never POSTed again. A failed attempt
 * is recorded (attempts, last error) in a transaction of its own and the consuming
 * transaction rolls back, so the broker retries after its redelivery delay and finally
 * parks the message in the dead-letter queue: never lost. Each receiver has its share of
 * the delivery sessions per node ({@code ReceiverSlots}); a message whose receiver has none
 * free is put back unchanged, with a delay, in the transaction that consumes it: never a
 * second live message of one dispatch, never an attempt.
 */
package org.courier.delivery;
