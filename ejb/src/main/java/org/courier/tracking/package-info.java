/**
 * Message tracking for operators: finding accepted messages by sender, interface, receiver,
 * delivery state, queue, id and acceptance time, a page at a time in the database, and one
 * message's full record (deliveries, their attempts, the ids it was given). Read-only.
 */
package org.courier.tracking;
