/**
 * Courier's admin API (JAX-RS, JSON) under {@code /courier/api}: operator views and actions.
 * Resources translate HTTP to calls of {@code org.courier.operations} and refusals to status
 * codes (404 unknown, 409 wrong state, 400 bad value) with a JSON {@code error} text.
 */
package org.courier.web.admin;
