/**
 * Courier's admin API (JAX-RS, JSON) under {@code /courier/api}: operator views and actions on
 * in-order queues, single deliveries, the failure store and its resend job, and the retention
 * purge. Resources translate HTTP to calls of the EJBs that own the work — passing the caller's
 * scope ({@link org.courier.web.access.Caller}), which the EJBs apply in their queries — and
 * refusals to status codes (404 unknown or outside the scope, 409 wrong state, 400 bad value,
 * 403 beyond the scope) with a JSON {@code error} text. Actions and payload views are audited
 * ({@link org.courier.web.admin.AuditFilter}).
 */
package org.courier.web.admin;
