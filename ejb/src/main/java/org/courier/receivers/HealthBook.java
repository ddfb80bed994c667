package org.courier.receivers;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's book of every receiver's health, kept in memory and thread-safe: counts failed
 * attempts in a row, changes the state when a threshold is crossed or an operator acts, and
 * takes what other nodes wrote (the later change wins). A receiver not in the book is UP.
 *
 * <p>A change of the shared state (to or from DOWN or MAINTENANCE) is marked unsaved until
 * {@link #saved} says it was written; UP and FAILING are this node's own view and are never
 * written.
 */
final class HealthBook {

    /** What changed: the receiver went {@code from} one state {@code to} another. */
    record Change(String receiver, HealthState from, HealthState to, ReceiverCondition now) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** A successful attempt: back to UP, unless an operator holds the receiver. */
    Optional<Change> succeeded(String receiver, Instant now) {
        Entry entry = entry(receiver);
        synchronized (entry) {
            entry.failures = 0;
            if (entry.state == HealthState.UP || entry.state == HealthState.MAINTENANCE) {
                return Optional.empty();
            }
            return Optional.of(entry.become(receiver, HealthState.UP, now, ReceiverCondition.COURIER, entry.state == HealthState.DOWN));
        }
    }

    /**
     * A failed attempt (not a refusal for good): FAILING, or DOWN when {@code downAfter} attempts
     * in a row have failed ({@code downAfter} &lt; 1: never DOWN).
     */
    Optional<Change> failed(String receiver, int downAfter, String error, Instant now) {
        Entry entry = entry(receiver);
        synchronized (entry) {
            entry.failures++;
            entry.lastError = error;
            if (entry.state == HealthState.UP) {
                return Optional.of(downAfter > 0 && entry.failures >= downAfter
                        ? entry.become(receiver, HealthState.DOWN, now, ReceiverCondition.COURIER, true)
                        : entry.become(receiver, HealthState.FAILING, now, ReceiverCondition.COURIER, false));
            }
            if (entry.state == HealthState.FAILING && downAfter > 0 && entry.failures >= downAfter) {
                return Optional.of(entry.become(receiver, HealthState.DOWN, now, ReceiverCondition.COURIER, true));
            }
            return Optional.empty();
        }
    }

    /** An operator takes the receiver out: everything waits, nothing is probed. */
    Optional<Change> maintenance(String receiver, String operator, Instant now) {
        Entry entry = entry(receiver);
        synchronized (entry) {
            if (entry.state == HealthState.MAINTENANCE) {
                return Optional.empty();
            }
            return Optional.of(entry.become(receiver, HealthState.MAINTENANCE, now, operator, true));
        }
    }

    /** An operator brings the receiver back (from DOWN or MAINTENANCE): UP, its waiting deliveries go out. */
    Optional<Change> resume(String receiver, String operator, Instant now) {
        Entry entry = entry(receiver);
        synchronized (entry) {
            entry.failures = 0;
            if (!entry.state.holdsDeliveries()) {
                return Optional.empty();
            }
            return Optional.of(entry.become(receiver, HealthState.UP, now, operator, true));
        }
    }

    /**
     * What another node wrote, if it is later than what this node knows: DOWN, MAINTENANCE or UP
     * (a receiver this node counts as FAILING stays so when the written state is an older UP).
     */
    Optional<Change> adopt(ReceiverCondition written) {
        Entry entry = entry(written.receiver());
        synchronized (entry) {
            if (!written.since().isAfter(entry.since) || written.state() == entry.state
                    || written.state() == HealthState.FAILING) {
                return Optional.empty();
            }
            HealthState from = entry.state;
            entry.state = written.state();
            entry.since = written.since();
            entry.failures = written.state() == HealthState.UP ? 0 : written.failures();
            entry.lastError = written.lastError();
            entry.changedBy = written.changedBy();
            entry.unsaved = false;
            return Optional.of(new Change(written.receiver(), from, entry.state, entry.condition(written.receiver(), 0)));
        }
    }

    /** Whether the receiver's deliveries wait instead of being attempted. */
    boolean holds(String receiver) {
        Entry entry = entries.get(receiver);
        return entry != null && entry.state.holdsDeliveries();
    }

    ReceiverCondition condition(String receiver, long waiting) {
        Entry entry = entries.get(receiver);
        if (entry == null) {
            return new ReceiverCondition(receiver, HealthState.UP, Instant.EPOCH, 0, null, ReceiverCondition.COURIER, waiting);
        }
        synchronized (entry) {
            return entry.condition(receiver, waiting);
        }
    }

    /** The changes of the shared state this node made and has not written yet. */
    List<ReceiverCondition> unsaved() {
        List<ReceiverCondition> unsaved = new ArrayList<>();
        entries.forEach((receiver, entry) -> {
            synchronized (entry) {
                if (entry.unsaved) {
                    unsaved.add(entry.condition(receiver, 0));
                }
            }
        });
        return unsaved;
    }

    /** {@code written} was written (or a later change of another node was found): no longer unsaved. */
    void saved(ReceiverCondition written) {
        Entry entry = entry(written.receiver());
        synchronized (entry) {
            if (entry.since.equals(written.since()) && entry.state == written.state()) {
                entry.unsaved = false;
            }
        }
    }

    private Entry entry(String receiver) {
        return entries.computeIfAbsent(receiver, name -> new Entry());
    }

    /** One receiver's line of the book; guarded by itself. */
    private static final class Entry {
        HealthState state = HealthState.UP;
        Instant since = Instant.EPOCH;
        int failures;
        String lastError;
        String changedBy = ReceiverCondition.COURIER;
        boolean unsaved;

        Change become(String receiver, HealthState next, Instant now, String by, boolean shared) {
            HealthState from = state;
            state = next;
            // strictly later than anything known, so that the newest change wins among nodes
            Instant at = now.truncatedTo(ChronoUnit.MILLIS);
            since = at.isAfter(since) ? at : since.plusMillis(1);
            changedBy = by;
            if (next == HealthState.UP && from.holdsDeliveries()) {
                lastError = null;
            }
            unsaved = unsaved || shared;
            return new Change(receiver, from, next, condition(receiver, 0));
        }

        ReceiverCondition condition(String receiver, long waiting) {
            return new ReceiverCondition(receiver, state, since, failures, lastError, changedBy, waiting);
        }
    }
}
