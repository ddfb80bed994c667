/**
 * Who may reach the admin API from where: the cross-site request rule that every state-changing
 * request must pass ({@link org.courier.web.access.CrossSiteRule}, applied by
 * {@link org.courier.web.access.CrossSiteFilter}), the security headers on every answer of the web
 * modules ({@link org.courier.web.access.SecurityHeaders}), and the part of Courier's data an
 * operator is bound to ({@link org.courier.web.access.OperatorScope}).
 */
package org.courier.web.access;
