/**
 * Who may reach the admin API from where, and what it may see there: the cross-site request rule
 * that every state-changing request must pass ({@link org.courier.web.access.CrossSiteRule},
 * applied by {@link org.courier.web.access.CrossSiteFilter}), the security headers on every answer
 * of the web modules ({@link org.courier.web.access.SecurityHeaders}), the caller and the part of
 * Courier's data it is bound to ({@link org.courier.web.access.Caller}, an
 * {@link org.courier.access.OperatorScope}), and the refusal of callers bound to nothing
 * ({@link org.courier.web.access.ScopeFilter}).
 */
package org.courier.web.access;
