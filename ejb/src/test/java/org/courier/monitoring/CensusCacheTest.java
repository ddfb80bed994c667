package org.courier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.courier.message.DeliveryState;
import org.junit.jupiter.api.Test;

class CensusCacheTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    private Instant now = Instant.parse("2026-11-22T12:00:00Z");
    private final AtomicInteger counts = new AtomicInteger();
    private RuntimeException failure;

    private final Supplier<Census> counting = () -> {
        if (failure != null) {
            throw failure;
        }
        counts.incrementAndGet();
        return new Census(now, Map.of("alpha", Map.of(DeliveryState.PENDING, (long) counts.get())), Map.of(), 0);
    };

    private final CensusCache cache = new CensusCache(counting, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, TTL);

    @Test
    void countsOnceWhileTheCensusIsFreshAndAgainOnceItIsOlderThanItsTimeToLive() {
        assertThat(cache.current().deliveries("alpha", DeliveryState.PENDING)).isEqualTo(1);
        now = now.plus(TTL);
        assertThat(cache.current().deliveries("alpha", DeliveryState.PENDING)).isEqualTo(1);
        now = now.plusMillis(1);
        assertThat(cache.current().deliveries("alpha", DeliveryState.PENDING)).isEqualTo(2);
        assertThat(counts).hasValue(2);
    }

    @Test
    void aFailedCountIsNotCachedAndTheNextReadCountsAgain() {
        failure = new IllegalStateException("database down");
        assertThatThrownBy(cache::current).isSameAs(failure);
        failure = null;
        assertThat(cache.current().deliveries("alpha", DeliveryState.PENDING)).isEqualTo(1);
    }

    @Test
    void aCensusSumsStatesPerReceiverAndBlockedLanesOverReceivers() {
        Census census = new Census(now, Map.of("alpha", Map.of(DeliveryState.FAILED, 2L, DeliveryState.ERROR, 3L)),
                Map.of("alpha", 1L, "beta", 2L), 7);
        assertThat(census.deliveries("alpha", DeliveryState.FAILED, DeliveryState.ERROR)).isEqualTo(5);
        assertThat(census.deliveries("beta", DeliveryState.PENDING)).isZero();
        assertThat(census.blockedLanes("beta")).isEqualTo(2);
        assertThat(census.blockedLanes()).isEqualTo(3);
    }
}
