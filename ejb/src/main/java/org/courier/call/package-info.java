/**
 * Synchronous calls (Best Effort): the sender waits for the receiver's response. An interface
 * whose route says {@code call="idempotent"} is an idempotent process call: the first call of a
 * message id calls the receiver and stores its response, every repeat gets the stored response
 * ("alternative response") without a second call.
 */
package org.courier.call;
