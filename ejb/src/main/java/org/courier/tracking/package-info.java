/**
 * Message tracking for operators: finding accepted messages by sender, interface, receiver,
 * delivery state, queue, id and acceptance time, a page at a time in the database, one
 * message's record (deliveries, their attempts, the ids it was given, the payload's hash and
 * size) and, for operators allowed to view business data, its payload. Read-only; always within
 * the operator's scope.
 */
package org.courier.tracking;
