/**
 * Receipt of messages from senders: validation, the idempotent receiver and the hand-over
 * to delivery, all in one JTA transaction.
 *
 * <p>Invariant: a sender gets an acknowledgement only after the message, its idempotency
 * record and one JMS delivery message per receiver have committed together. A repeated
 * (sender, message id) is answered with the first acknowledgement and enqueues nothing.
 * Requests that cannot be accepted are rejected with a {@link org.courier.ingest.FaultCode}
 * and leave nothing stored.
 */
package org.courier.ingest;
