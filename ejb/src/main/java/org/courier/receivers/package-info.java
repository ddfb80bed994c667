/**
 * Receiver health: whether a receiver is UP, FAILING (its last attempts failed), DOWN (too many
 * failed in a row) or in MAINTENANCE (an operator took it out), shared by all nodes through the
 * database.
 *
 * <p>Invariants: while a receiver is DOWN or in MAINTENANCE its deliveries are not attempted one
 * by one: each is put to wait (FAILED without a due time, its reason in its last error) by the
 * transaction that consumes its JMS message; while DOWN one waiting delivery at a time is sent
 * as a probe at a modest rate, claimed by one node. Whenever a receiver is neither DOWN nor in
 * MAINTENANCE, its waiting deliveries go out again (in-order lane heads first), each under its
 * row lock, so that none goes twice and a crash during the drain leaves the rest waiting for the
 * next node to drain them. Waiting never counts as an attempt or a resend.
 */
package org.courier.receivers;
