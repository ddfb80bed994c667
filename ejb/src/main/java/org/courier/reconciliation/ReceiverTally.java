package org.courier.reconciliation;

import java.util.EnumMap;
import java.util.Map;

/** Counts one receiver's deliveries into buckets while a reconciliation reads them; then its {@link ReceiverBalance}. */
final class ReceiverTally {

    private final String receiver;
    private final Map<Bucket, Long> buckets = new EnumMap<>(Bucket.class);
    private long unplaced;
    private long missing;
    private long duplicates;

    ReceiverTally(String receiver) {
        this.receiver = receiver;
    }

    /** {@code count} deliveries stored in state {@code stateName}; whether the state has a bucket. */
    boolean add(String stateName, long count) {
        return Bucket.ofStored(stateName).map(bucket -> {
            buckets.merge(bucket, count, Long::sum);
            return true;
        }).orElseGet(() -> {
            unplaced += count;
            return false;
        });
    }

    /** {@code count} messages its route names this receiver for have no delivery to it. */
    void missing(long count) {
        missing += count;
    }

    /** {@code extra} rows more than one per part (a part recorded {@code extra + 1} times). */
    void duplicates(long extra) {
        duplicates += extra;
    }

    ReceiverBalance balance() {
        long rows = buckets.values().stream().mapToLong(Long::longValue).sum() + unplaced;
        return ReceiverBalance.of(receiver, rows - duplicates + missing, count(Bucket.DELIVERED), count(Bucket.PENDING),
                count(Bucket.FAILED), count(Bucket.CANCELLED), count(Bucket.IN_DOUBT), unplaced, missing, duplicates);
    }

    private long count(Bucket bucket) {
        return buckets.getOrDefault(bucket, 0L);
    }
}
