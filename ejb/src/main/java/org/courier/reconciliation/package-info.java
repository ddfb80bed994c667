/**
 * Reconciliation: for one sender and time window of acceptance, does every accepted message
 * add up? Per receiver, every part Courier took on (or the route says it should have) is in
 * exactly one bucket — delivered, pending, failed, cancelled, in doubt — and whatever does not
 * fit (a state no bucket holds, a part delivered twice, a delivery missing, a message with no
 * delivery that no aggregator took) is listed with the reason. Read-only; the rule is in
 * {@code docs/admin-api.md}.
 */
package org.courier.reconciliation;
