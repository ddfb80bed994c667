/**
 * What part of Courier's data an operator may see and act on: {@link org.courier.access.OperatorScope},
 * the senders and interfaces a user of the admin API is bound to. Every operator view and action
 * takes one and applies it in the database query, so that lists, counts and pages hold only what
 * the operator may see.
 */
package org.courier.access;
