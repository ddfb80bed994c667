/**
 * The audit trail of operator actions: who did what through the admin API, when, how it ended
 * (the HTTP status) and which sender and interface it concerned, so that an operator bound to
 * some senders reads only their entries. Each action is one row, written in a transaction of its
 * own so that it neither depends on nor endangers the action; rows are kept for the failure
 * retention period ({@code courier.retention.failures}) and removed by the purge job.
 */
package org.courier.audit;
