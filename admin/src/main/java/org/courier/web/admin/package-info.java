/**
 * Courier's admin API (JAX-RS, JSON) under {@code /courier/api}: operator views and actions on
 * in-order queues, single deliveries, the failure store and its resend job, and the retention
 * purge. Resources translate HTTP to calls of the EJBs that own the work and refusals to status
 * codes (404 unknown, 409 wrong state, 400 bad value) with a JSON {@code error} text.
 */
package org.courier.web.admin;
