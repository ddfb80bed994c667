/**
 * What part of Courier's data an operator may see and act on: {@link org.courier.access.OperatorScope},
 * the senders and interfaces a user of the admin API is bound to. Every operator view and action
 * takes one and applies it in the database query ({@link org.courier.access.ScopeCondition}), so
 * that lists, counts and pages hold only what the operator may see; a single item outside it is
 * answered as unknown. An action beyond messages needs an unrestricted scope and is otherwise
 * refused ({@link org.courier.access.ScopeRefused}).
 */
package org.courier.access;
