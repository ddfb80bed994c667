package org.courier.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;
import org.courier.message.DeliveryState;
import org.courier.receivers.ReceiverHealth;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.Route;
import org.courier.routing.RoutingTable;

/**
 * Courier's gauges, read from the database through a {@link CensusCache} (at most one count per
 * {@link CensusCache#TIME_TO_LIVE}), the same on every node:
 * <ul>
 * <li>{@value #PENDING} (tag {@code receiver}): deliveries on their way (PENDING: queued or
 * being retried);</li>
 * <li>{@value #HELD} (tag {@code receiver}): Exactly Once In Order deliveries waiting behind an
 * earlier message of their queue (HELD);</li>
 * <li>{@value #FAILURE_STORE} (tag {@code receiver}): deliveries in the failure store (FAILED
 * and ERROR);</li>
 * <li>{@value #BLOCKED_LANES} (tag {@code receiver}): in-order lanes whose head waits for a
 * resend or an operator, see {@link DeliveryCensus};</li>
 * <li>{@value #STORED} : messages in the store (until retention purges them);</li>
 * <li>{@value #RECEIVER_STATE} (tag {@code receiver}): its health, 0 up, 1 failing, 2 down,
 * 3 maintenance ({@link ReceiverHealth}; failing is this node's view);</li>
 * <li>{@value #RECEIVER_STATE_SECONDS} (tag {@code receiver}): how long it has been in that state
 * (since it last changed; a receiver never seen failing counts from this node's start);</li>
 * <li>{@value #RECEIVER_WAITING} (tag {@code receiver}): its deliveries waiting for it to be back.</li>
 * </ul>
 * A gauge reads NaN while the database cannot be counted. Also registers Courier's counters
 * ({@link CourierCounters}) at zero for every configured interface and receiver.
 */
@Singleton
@Startup
@DependsOn("RoutingTable")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CourierGauges {

    static final String PENDING = "courier.deliveries.pending";
    static final String HELD = "courier.deliveries.held";
    static final String FAILURE_STORE = "courier.failure.store.size";
    static final String BLOCKED_LANES = "courier.lanes.blocked";
    static final String STORED = "courier.messages.stored";
    static final String RECEIVER_STATE = "courier.receiver.state";
    static final String RECEIVER_STATE_SECONDS = "courier.receiver.state.seconds";
    static final String RECEIVER_WAITING = "courier.receiver.waiting";

    private static final Logger LOG = Logger.getLogger(CourierGauges.class.getName());

    @Inject
    private MeterRegistry registry;

    @EJB
    private RoutingTable routing;

    @EJB
    private DeliveryCensus census;

    @Inject
    private CourierCounters counters;

    @Inject
    private ReceiverHealth health;

    private final Instant started = Instant.now();

    /** Strongly held here: Micrometer holds a gauge's object only weakly. */
    private CensusCache cache;

    @PostConstruct
    void register() {
        cache = new CensusCache(census::take, Clock.systemUTC(), CensusCache.TIME_TO_LIVE);
        List<String> receivers = routing.configuration().receivers().stream().map(ReceiverEndpoint::name).toList();
        for (String receiver : receivers) {
            gauge(PENDING, Tags.of("receiver", receiver), c -> c.deliveries(receiver, DeliveryState.PENDING));
            gauge(HELD, Tags.of("receiver", receiver), c -> c.deliveries(receiver, DeliveryState.HELD));
            gauge(FAILURE_STORE, Tags.of("receiver", receiver),
                    c -> c.deliveries(receiver, DeliveryState.FAILED, DeliveryState.ERROR));
            gauge(BLOCKED_LANES, Tags.of("receiver", receiver), c -> c.blockedLanes(receiver));
            registry.gauge(RECEIVER_STATE, Tags.of("receiver", receiver), health,
                    h -> h.condition(receiver).state().gaugeValue());
            registry.gauge(RECEIVER_STATE_SECONDS, Tags.of("receiver", receiver), health, h -> {
                Instant since = h.condition(receiver).since();
                return Duration.between(since.isAfter(started) ? since : started, Instant.now()).toSeconds();
            });
            registry.gauge(RECEIVER_WAITING, Tags.of("receiver", receiver), health, h -> h.condition(receiver).waiting());
        }
        gauge(STORED, Tags.empty(), Census::storedMessages);
        counters.registerAll(routing.configuration().routes().stream().map(Route::interfaceName).distinct().toList(),
                receivers);
    }

    private void gauge(String name, Tags tags, ToLongFunction<Census> value) {
        registry.gauge(name, tags, cache, c -> {
            try {
                return value.applyAsLong(c.current());
            } catch (RuntimeException unavailable) {
                LOG.fine(() -> "Gauge " + name + " not read: " + unavailable);
                return Double.NaN;
            }
        });
    }

    @PreDestroy
    void remove() {
        for (String name : List.of(PENDING, HELD, FAILURE_STORE, BLOCKED_LANES, STORED, RECEIVER_STATE,
                RECEIVER_STATE_SECONDS, RECEIVER_WAITING)) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }
}
