package org.courier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;

/**
 * Each receiver's share of this node's delivery sessions (SAP: per-receiver outbound
 * parallelism): at most its {@code parallel} attribute, by default {@value #PROPERTY}, which
 * defaults to half of {@value #PARALLEL} (16 sessions: 8), at least 1. A receiver that answers
 * slowly or not at all thus holds at most its share of the sessions in its timeouts, and the
 * other receivers' deliveries keep flowing through the rest.
 *
 * <p>Invariant: a slot is only ever tried, never waited for, and every slot taken is given back
 * by {@link Slot#close()}; a delivery that finds its receiver's slots all taken is deferred by
 * the caller for its turn ({@link #deferral}). The count is in memory and per node: a restart starts with
 * every slot free, which is right, as no attempt survives one.
 */
@ApplicationScoped
public class ReceiverSlots {

    static final String PROPERTY = "courier.delivery.receiver-parallel";
    static final String PARALLEL = "courier.delivery.parallel";
    static final int DEFAULT_PARALLEL = 16;
    static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(ReceiverSlots.class.getName());

    private final Map<String, Share> shares = new ConcurrentHashMap<>();
    private Function<String, Optional<ReceiverEndpoint>> receivers;
    private int defaultLimit;
    private LongSupplier nanoClock;

    /** For CDI; the receivers come from {@link #use(RoutingTable)}. */
    public ReceiverSlots() {
    }

    ReceiverSlots(Function<String, Optional<ReceiverEndpoint>> receivers, int defaultLimit, LongSupplier nanoClock) {
        this.receivers = receivers;
        this.defaultLimit = defaultLimit;
        this.nanoClock = nanoClock;
    }

    @Inject
    void use(RoutingTable routing) {
        this.receivers = routing::receiver;
        this.defaultLimit = defaultLimit(Integer.getInteger(PROPERTY, 0), Integer.getInteger(PARALLEL, DEFAULT_PARALLEL));
        this.nanoClock = System::nanoTime;
    }

    /**
     * How long an attempt to this receiver holds a slot: its recent attempts' average, or the age of
     * its oldest attempt still running if that is more; zero for a receiver not measured yet.
     */
    public Duration pace(String receiver) {
        return Duration.ofNanos(share(receiver).pace(nanoClock.getAsLong()));
    }

    /** The share of a receiver without a {@code parallel} attribute: the property if set, else half the sessions, at least 1. */
    static int defaultLimit(int property, int parallel) {
        return property > 0 ? property : Math.max(1, parallel / 2);
    }

    /**
     * A free slot of this receiver, or empty when all its slots are taken.
     *
     * @param deferrals how many times the delivery was deferred before (0: never); a deferred one
     *                  no longer waits once it is here
     */
    public Optional<Slot> take(String receiver, int deferrals) {
        Share share = share(receiver);
        if (deferrals > 0) {
            share.waiting.updateAndGet(waiting -> Math.max(waiting - 1, 0));
        }
        if (share.slots.tryAcquire()) {
            return Optional.of(share.taken());
        }
        share.reportBusy(nanoClock.getAsLong());
        return Optional.empty();
    }

    /**
     * How long a delivery to this receiver that found no free slot waits before it comes back
     * ({@link Deferral#delay}); from here on it counts as waiting for the receiver.
     */
    public Duration deferral(String receiver) {
        Share share = share(receiver);
        return Deferral.delay(share.waiting.incrementAndGet(), share.slotsPerSecond(nanoClock.getAsLong()));
    }

    /** The receiver's share, as configured or by default. */
    int limit(String receiver) {
        return share(receiver).limit;
    }

    private Share share(String receiver) {
        return shares.computeIfAbsent(receiver, name -> {
            int limit = receivers.apply(name).flatMap(e -> e.connection().parallelLimit().stream().boxed().findFirst())
                    .orElse(defaultLimit);
            return new Share(name, limit, nanoClock);
        });
    }

    /**
     * A taken slot; closing it gives it back (once), and how long it was held counts in the
     * receiver's pace unless {@link #sentNothing()} said the receiver was not asked.
     */
    public static final class Slot implements AutoCloseable {

        private final long taken;
        private Share owner;
        private boolean measured = true;

        private Slot(Share owner, long taken) {
            this.owner = owner;
            this.taken = taken;
        }

        /**
         * Nothing was sent to the receiver while this slot was held: the delivery's row was locked
         * (by a branch a crash left in doubt, waiting for transaction recovery), not visible yet,
         * settled already or waiting for the receiver. How long that took says nothing about the
         * receiver, so it does not count in its pace: a restart's lock waits of 10 s would
         * otherwise make a receiver that answers in 100 ms look like one that holds each slot 10 s,
         * and space its waiting deliveries out by a minute each.
         */
        public void sentNothing() {
            measured = false;
        }

        @Override
        public void close() {
            if (owner != null) {
                owner.givenBack(this);
                owner = null;
            }
        }
    }

    /**
     * One receiver's slots; how many of its deliveries wait for one (approximately: deferred and
     * not back yet); how long an attempt holds a slot; and when it was last reported busy (once a
     * minute at most).
     *
     * <p>How long an attempt holds a slot: the attempts' recent average (a moving average over the
     * last ten or so), or for an attempt still running its age once it is older than that, at least
     * {@link #QUICKEST}: a receiver that stops answering shows in the attempts that do not come
     * back, long before any average does, and one slow attempt slows only its own slot; a receiver
     * that answers again shows in its first quick answers.
     * A receiver never measured counts as quick, so that a burst to a receiver that answers at once
     * is delivered as fast as its slots allow, and the first deferred deliveries of one that does
     * not answer are back within a few tenths of a second to learn how long it holds them.
     */
    private static final class Share {

        static final long NEVER = Long.MIN_VALUE;
        static final long QUICKEST = Duration.ofMillis(10).toNanos();
        static final double WEIGHT_OF_LATEST = 0.2;

        final String receiver;
        final int limit;
        final Semaphore slots;
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicLong lastReport = new AtomicLong(NEVER);
        private final LongSupplier clock;
        private final Set<Slot> running = ConcurrentHashMap.newKeySet();
        private double averageNanos;

        Share(String receiver, int limit, LongSupplier clock) {
            this.receiver = receiver;
            this.limit = limit;
            this.slots = new Semaphore(limit);
            this.clock = clock;
        }

        Slot taken() {
            Slot slot = new Slot(this, clock.getAsLong());
            running.add(slot);
            return slot;
        }

        void givenBack(Slot slot) {
            running.remove(slot);
            slots.release();
            if (!slot.measured) {
                return;
            }
            long held = clock.getAsLong() - slot.taken;
            synchronized (this) {
                averageNanos = averageNanos == 0 ? held : averageNanos + WEIGHT_OF_LATEST * (held - averageNanos);
            }
        }

        /**
         * Slots given back per second from now on: each running attempt gives its slot back at the
         * pace of the recent average, or more slowly once it is older than that; a free slot at once.
         */
        double slotsPerSecond(long now) {
            double average;
            synchronized (this) {
                average = averageNanos;
            }
            double perSecond = 0;
            int counted = 0;
            for (Slot slot : running) {
                perSecond += 1e9 / Math.max(Math.max(average, now - slot.taken), QUICKEST);
                counted++;
            }
            return perSecond + Math.max(limit - counted, 0) * 1e9 / Math.max(average, QUICKEST);
        }

        long pace(long now) {
            double pace;
            synchronized (this) {
                pace = averageNanos;
            }
            for (Slot slot : running) {
                pace = Math.max(pace, now - slot.taken);
            }
            return (long) pace;
        }

        void reportBusy(long now) {
            long last = lastReport.get();
            if (last != NEVER && now - last < REPORT_INTERVAL.toNanos() || !lastReport.compareAndSet(last, now)) {
                return;
            }
            LOG.info(() -> "Receiver \"" + receiver + "\" has all its " + limit + " delivery slots busy (answers slowly or"
                    + " not at all); its other deliveries wait their turn");
        }
    }
}
