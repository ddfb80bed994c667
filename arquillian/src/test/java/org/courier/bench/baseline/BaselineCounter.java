package org.courier.bench.baseline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the baseline messages the consumer has taken, and when it took the last one. */
@ApplicationScoped
public class BaselineCounter {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();

    public void reset() {
        received.set(0);
        lastNanos.set(0);
    }

    void received() {
        received.incrementAndGet();
        lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    public long count() {
        return received.get();
    }

    public long lastNanos() {
        return lastNanos.get();
    }
}
