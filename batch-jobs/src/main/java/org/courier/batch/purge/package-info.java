/**
 * The retention purge as a Jakarta Batch job ({@code courier-purge}): its artifacts, the timer
 * that starts it and the runs operators start and follow ({@link org.courier.retention.PurgeRuns}).
 * The artifacts only translate; {@code org.courier.retention} does the work, inside the job's
 * transactions, and checks each message again before it goes — so a run can be stopped,
 * restarted, repeated or run on two nodes at once.
 */
package org.courier.batch.purge;
