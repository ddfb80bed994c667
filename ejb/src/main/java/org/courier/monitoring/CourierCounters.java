package org.courier.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Courier's counters of committed work, per node:
 * <ul>
 * <li>{@value #ACCEPTED} (tag {@code interface}): messages accepted from senders, counted once
 * their receipt has committed;</li>
 * <li>{@value #DUPLICATES} (tag {@code interface}): sends answered as duplicates of a message
 * accepted before;</li>
 * <li>{@value #DELIVERED} (tag {@code receiver}): deliveries Courier marked delivered (a 2xx
 * answer, or a receiver's status URL confirming an attempt that was in doubt); an operator
 * declaring a delivery delivered is not counted;</li>
 * <li>{@value #ATTEMPTS_FAILED} (tag {@code receiver}): delivery attempts that failed, whether
 * a retry followed or not (an attempt left in doubt is not counted: it may have worked);</li>
 * <li>{@value #FAILED} (tag {@code receiver}): deliveries that entered the failure store after
 * their last failed attempt — FAILED, to be resent on schedule, or ERROR, for an operator;</li>
 * <li>{@value #DEFERRED} (tag {@code receiver}): deliveries put back on the queue because all
 * the receiver's delivery slots were busy (one per deferral; a steady rise means a receiver
 * answering slowly or not at all);</li>
 * <li>{@value #BATCHED}: deliveries taken into a delivery transaction after its first one
 * (against {@value #DELIVERED}, how many deliveries a commit settles).</li>
 * </ul>
 *
 * <p>Invariant: work is counted only when its transaction commits. Called inside a
 * transaction, a count is registered to happen after its completion, and only with status
 * committed (one already marked for rollback counts nothing); called outside one (after the
 * work's own transaction has committed), it counts at once. Registered with
 * {@code registry.more().counter(...)}: see {@link org.courier.resend.InDoubtMetrics} for why
 * not with the builders.
 */
@ApplicationScoped
public class CourierCounters {

    static final String ACCEPTED = "courier.messages.accepted";
    static final String DUPLICATES = "courier.messages.duplicates";
    static final String DELIVERED = "courier.deliveries.delivered";
    static final String ATTEMPTS_FAILED = "courier.delivery.attempts.failed";
    static final String FAILED = "courier.deliveries.failed";
    static final String DEFERRED = "courier.deliveries.deferred";
    static final String BATCHED = "courier.deliveries.batched";

    private final Map<List<String>, AtomicLong> counts = new ConcurrentHashMap<>();

    @Inject
    private MeterRegistry registry;

    @Resource(lookup = "java:jboss/TransactionSynchronizationRegistry")
    private TransactionSynchronizationRegistry transactions;

    public CourierCounters() {
    }

    CourierCounters(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
    }

    public void accepted(String interfaceName) {
        onCommit(counter(ACCEPTED, "interface", interfaceName));
    }

    public void duplicate(String interfaceName) {
        onCommit(counter(DUPLICATES, "interface", interfaceName));
    }

    public void delivered(String receiver) {
        onCommit(counter(DELIVERED, "receiver", receiver));
    }

    /** A failed attempt; {@code gaveUp}: it was the last one, the delivery entered the failure store. */
    public void attemptFailed(String receiver, boolean gaveUp) {
        onCommit(counter(ATTEMPTS_FAILED, "receiver", receiver));
        if (gaveUp) {
            onCommit(counter(FAILED, "receiver", receiver));
        }
    }

    /** A delivery put back because its receiver had no free slot. */
    public void deferred(String receiver) {
        onCommit(counter(DEFERRED, "receiver", receiver));
    }

    /** A delivery taken into a delivery transaction after its first one. */
    public void batched() {
        onCommit(counter(BATCHED));
    }

    /** Registers the counters of these interfaces and receivers at zero, so that they are scraped before any traffic. */
    void registerAll(Iterable<String> interfaceNames, Iterable<String> receivers) {
        for (String name : interfaceNames) {
            counter(ACCEPTED, "interface", name);
            counter(DUPLICATES, "interface", name);
        }
        for (String receiver : receivers) {
            counter(DELIVERED, "receiver", receiver);
            counter(ATTEMPTS_FAILED, "receiver", receiver);
            counter(FAILED, "receiver", receiver);
            counter(DEFERRED, "receiver", receiver);
        }
        counter(BATCHED);
    }

    private AtomicLong counter(String name) {
        return counts.computeIfAbsent(List.of(name), key -> {
            AtomicLong count = new AtomicLong();
            registry.more().counter(name, Tags.empty(), count, AtomicLong::get);
            return count;
        });
    }

    private AtomicLong counter(String name, String tag, String value) {
        return counts.computeIfAbsent(List.of(name, tag, value), key -> {
            AtomicLong count = new AtomicLong();
            registry.more().counter(name, Tags.of(tag, value), count, AtomicLong::get);
            return count;
        });
    }

    private void onCommit(AtomicLong count) {
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            count.incrementAndGet();
            return;
        }
        if (status != Status.STATUS_ACTIVE) {
            return; // marked for rollback: it will not commit
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    count.incrementAndGet();
                }
            }
        });
    }

    @PreDestroy
    void remove() {
        for (String name : List.of(ACCEPTED, DUPLICATES, DELIVERED, ATTEMPTS_FAILED, FAILED, DEFERRED, BATCHED)) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }
}
