package org.courier.retention;

/**
 * One run of the purge job as an operator follows it: its batch status ({@code STARTING},
 * {@code STARTED}, {@code COMPLETED}, {@code FAILED} …), the instant it purged as of, and how many
 * messages it purged and expired tombstones it removed so far.
 */
public record PurgeRun(long executionId, String status, String cutoff, long purged, long tombstonesRemoved) {
}
