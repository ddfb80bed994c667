/**
 * The audit trail of operator actions: who did what through the admin API, when, and how it
 * ended (the HTTP status). Each action is one row, written in a transaction of its own so that
 * it neither depends on nor endangers the action; rows are kept for the failure retention
 * period ({@code courier.retention.failures}) and removed by the purge job.
 */
package org.courier.audit;
