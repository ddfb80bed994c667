/**
 * Retention: what Courier keeps once a message is settled, for how long, and the compact trace
 * it leaves behind (design and operation: {@code docs/retention.md}).
 *
 * <p>Invariants: a message with a delivery that is not final ({@code PENDING}, {@code HELD},
 * {@code FAILED}, {@code ERROR}) is never purged; a purged message leaves a
 * {@link org.courier.retention.Tombstone} in the same transaction, kept longer than any full
 * record ({@link org.courier.retention.RetentionPolicy}), and the receipt refuses a retry of a
 * tombstoned (sender, message id) with {@code MESSAGE_ID_EXPIRED} instead of taking it for a
 * new message. In-order queues keep their numbering: queues and lanes are never purged.
 *
 * <p>The purge itself runs as the Jakarta Batch job {@value org.courier.retention.PurgeRuns#JOB}
 * (module {@code batch-jobs}); its artifacts call {@link org.courier.retention.MessagePurge} and
 * {@link org.courier.retention.Tombstones}, which do the work in the job's transactions.
 */
package org.courier.retention;
