package org.courier.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The latest {@link Census}, taken again only once it is older than its time to live: however
 * often the meters are scraped, the database is counted at most once per interval. Thread-safe; concurrent readers of a stale census wait for one count, not one each.
 */
final class CensusCache {

    /** How old a census may be when read; the gauges lag at most this much. */
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(5);

    private final Supplier<Census> counting;
    private final Clock clock;
    private final Duration timeToLive;
    private Census latest;

    CensusCache(Supplier<Census> counting, Clock clock, Duration timeToLive) {
        this.counting = counting;
        this.clock = clock;
        this.timeToLive = timeToLive;
    }

    /** The cached census if it is fresh enough, else a new one; a failed count throws and caches nothing. */
    synchronized Census current() {
        if (latest == null || latest.takenAt().plus(timeToLive).isBefore(clock.instant())) {
            latest = counting.get();
        }
        return latest;
    }
}
