package org.courier.receivers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;

/**
 * Every receiver's health as this node sees it, for the delivery path: whether a receiver's
 * deliveries wait ({@link #holds}), and each attempt's outcome ({@link #succeeded},
 * {@link #failed}); in memory, no database work, so that it costs an attempt nothing.
 * {@link HealthKeeper} writes this node's changes and takes the other nodes'.
 *
 * <p>A receiver is DOWN after its {@code down-after} attempts in a row have failed (attribute of
 * the receiver, by default {@value #DOWN_AFTER}, default {@value #DEFAULT_DOWN_AFTER}; "never"
 * or 0 turns it off); a refusal for good does not count, as it says nothing of the receiver's
 * health. While DOWN one waiting delivery is sent as a probe every {@value #PROBE_EVERY}
 * (default PT10S). One log line per change of state: DOWN and back at WARNING and INFO, UP to
 * FAILING and back at FINE (a receiver failing now and then would otherwise fill the log).
 */
@ApplicationScoped
public class ReceiverHealth {

    static final String DOWN_AFTER = "courier.receiver.down-after";
    static final String PROBE_EVERY = "courier.receiver.probe-every";
    static final int DEFAULT_DOWN_AFTER = 5;
    static final Duration DEFAULT_PROBE_EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(ReceiverHealth.class.getName());

    private final HealthBook book = new HealthBook();
    private volatile Map<String, Long> waiting = Map.of();
    private Function<String, Optional<ReceiverEndpoint>> receivers;
    private int defaultDownAfter;
    private Duration probeEvery;
    private Clock clock;

    /** For CDI; the receivers and settings come from {@link #use(RoutingTable)}. */
    public ReceiverHealth() {
    }

    ReceiverHealth(Function<String, Optional<ReceiverEndpoint>> receivers, int defaultDownAfter, Duration probeEvery,
                   Clock clock) {
        this.receivers = receivers;
        this.defaultDownAfter = defaultDownAfter;
        this.probeEvery = probeEvery;
        this.clock = clock;
    }

    @Inject
    void use(RoutingTable routing) {
        this.receivers = routing::receiver;
        this.defaultDownAfter = defaultDownAfter(System.getProperty(DOWN_AFTER));
        this.probeEvery = probeEvery(System.getProperty(PROBE_EVERY));
        this.clock = Clock.systemUTC();
    }

    /** Whether the receiver's deliveries wait instead of being attempted: it is DOWN or in MAINTENANCE. */
    public boolean holds(String receiver) {
        return book.holds(receiver);
    }

    /** An attempt to the receiver succeeded. */
    public void succeeded(String receiver) {
        book.succeeded(receiver, clock.instant()).ifPresent(this::report);
    }

    /** An attempt to the receiver failed (not refused for good): {@code error} says how. */
    public void failed(String receiver, String error) {
        book.failed(receiver, downAfterFor(receiver), error, clock.instant()).ifPresent(this::report);
    }

    /** Why a delivery to the receiver waits instead of being attempted, for its last error. */
    public String waitingReason(String receiver) {
        ReceiverCondition condition = condition(receiver);
        if (condition.state() == HealthState.MAINTENANCE) {
            return "waits: receiver \"" + receiver + "\" is in maintenance since " + condition.since() + " (by "
                    + condition.changedBy() + "); nothing is sent to it until an operator brings it back";
        }
        return "waits: receiver \"" + receiver + "\" is down since " + condition.since() + " after "
                + attempts(condition.failures()) + lastError(condition)
                + "; one waiting delivery is sent every " + probeEvery.toSeconds()
                + " s to try it, and all go out when one gets through";
    }

    public ReceiverCondition condition(String receiver) {
        return book.condition(receiver, waiting.getOrDefault(receiver, 0L));
    }

    /** An operator takes the receiver out; empty if it was in maintenance already. */
    Optional<ReceiverCondition> maintenance(String receiver, String operator) {
        return book.maintenance(receiver, operator, clock.instant()).map(this::reported);
    }

    /** An operator brings the receiver back; empty if it was neither down nor in maintenance. */
    Optional<ReceiverCondition> resume(String receiver, String operator) {
        return book.resume(receiver, operator, clock.instant()).map(this::reported);
    }

    List<ReceiverCondition> unsaved() {
        return book.unsaved();
    }

    void saved(ReceiverCondition written) {
        book.saved(written);
    }

    /** Takes another node's change if it is later than this node's view. */
    void adopt(ReceiverCondition written) {
        book.adopt(written).ifPresent(change -> LOG.info(() -> "Receiver \"" + change.receiver() + "\" is " + change.to()
                + " since " + change.now().since() + " (changed on another node by " + change.now().changedBy() + ")"));
    }

    /** The counts of waiting deliveries, from the database. */
    void counted(Map<String, Long> waiting) {
        this.waiting = Map.copyOf(waiting);
    }

    Duration probeEvery() {
        return probeEvery;
    }

    Instant now() {
        return clock.instant();
    }

    int downAfterFor(String receiver) {
        int configured = receivers.apply(receiver).map(r -> r.connection().downAfter()).orElse(0);
        return configured == 0 ? defaultDownAfter : configured;
    }

    private ReceiverCondition reported(HealthBook.Change change) {
        report(change);
        return change.now();
    }

    private void report(HealthBook.Change change) {
        ReceiverCondition now = change.now();
        String receiver = "Receiver \"" + change.receiver() + "\" is ";
        switch (change.to()) {
            case DOWN -> LOG.warning(() -> receiver + "DOWN after " + attempts(now.failures())
                    + lastError(now) + ": its deliveries wait, and one of them is sent every " + probeEvery.toSeconds()
                    + " s to try it");
            case MAINTENANCE -> LOG.info(() -> receiver + "in MAINTENANCE (by " + now.changedBy()
                    + "): its deliveries wait until an operator brings it back");
            case UP -> LOG.log(change.from().holdsDeliveries() ? Level.INFO : Level.FINE, () -> receiver + "UP again"
                    + (change.from().holdsDeliveries() ? " (" + (ReceiverCondition.COURIER.equals(now.changedBy())
                    ? "a delivery got through" : "by " + now.changedBy()) + "): its waiting deliveries go out now" : ""));
            case FAILING -> LOG.fine(() -> receiver + "FAILING" + lastError(now));
        }
    }

    private static String attempts(int failures) {
        return failures == 1 ? "1 failed attempt" : failures + " failed attempts in a row";
    }

    private static String lastError(ReceiverCondition condition) {
        return condition.lastError() == null ? "" : " (last: " + condition.lastError() + ")";
    }

    /** The server-wide threshold: a number of attempts, or "never" (0). */
    static int defaultDownAfter(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_DOWN_AFTER;
        }
        if ("never".equals(value.trim())) {
            return -1;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed == 0 ? -1 : parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("System property " + DOWN_AFTER + "='" + value
                    + "' is not a number of failed attempts or \"never\"", e);
        }
    }

    static Duration probeEvery(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PROBE_EVERY;
        }
        try {
            Duration parsed = Duration.parse(value.trim());
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return parsed;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("System property " + PROBE_EVERY + "='" + value
                    + "' is not a positive ISO-8601 duration such as PT10S", e);
        }
    }
}
