package org.courier.receivers;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.courier.operations.ActionRefused;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;

/**
 * Keeps receiver health in step across nodes and acts on it, every {@value #TICK_MILLIS} ms:
 * writes this node's changes, takes the other nodes', counts the waiting deliveries, sends a
 * probe to each DOWN receiver whose turn it is (one node claims it), and lets the waiting
 * deliveries of every receiver that is neither DOWN nor in MAINTENANCE go out again, in
 * chunks of {@value #RELEASE_CHUNK}, lane heads first. Operators read every receiver's health
 * and take a receiver out or bring it back here.
 *
 * <p>Failure policy: a tick that fails (the database away) logs one line and changes nothing;
 * the next tick does the work, as everything it acts on is in the database.
 */
@Singleton
@Startup
@DependsOn("RoutingTable")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HealthKeeper {

    static final long TICK_MILLIS = 1000;
    static final int RELEASE_CHUNK = 100;
    /** How long one tick may spend letting deliveries go; the next tick goes on. */
    static final Duration RELEASE_BUDGET = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(HealthKeeper.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private HealthLedger ledger;

    @EJB
    private RoutingTable routing;

    @Inject
    private ReceiverHealth health;

    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile boolean failingReported;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(TICK_MILLIS, TICK_MILLIS, new TimerConfig("courier-receiver-health", false));
    }

    @Timeout
    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        try {
            saveChanges();
            ledger.written().forEach(health::adopt);
            Map<String, Long> waiting = ledger.waiting();
            health.counted(waiting);
            probe();
            release(waiting);
            failingReported = false;
        } catch (RuntimeException e) {
            if (!failingReported) {
                failingReported = true;
                LOG.warning(() -> "Receiver health not kept in step this second (tried again every second): " + e);
            }
        } finally {
            ticking.set(false);
        }
    }

    /** Every configured receiver's health, by name. */
    public List<ReceiverCondition> overview() {
        return routing.configuration().receivers().stream().map(r -> health.condition(r.name())).toList();
    }

    /** An operator takes the receiver out: its deliveries wait, nothing is sent or probed. */
    public ReceiverCondition maintenance(String receiver, String operator) {
        configured(receiver);
        health.maintenance(receiver, operator).ifPresent(this::save);
        return health.condition(receiver);
    }

    /** An operator brings the receiver back: UP, its waiting deliveries go out. */
    public ReceiverCondition resume(String receiver, String operator) {
        configured(receiver);
        health.resume(receiver, operator).ifPresent(this::save);
        return health.condition(receiver);
    }

    private void configured(String receiver) {
        if (routing.receiver(receiver).isEmpty()) {
            throw new ActionRefused(ActionRefused.Reason.NOT_FOUND, "no receiver \"" + receiver + "\" is configured");
        }
    }

    private void saveChanges() {
        health.unsaved().forEach(this::save);
    }

    private void save(ReceiverCondition change) {
        ReceiverCondition written = ledger.write(change);
        health.saved(change);
        if (written != change) {
            health.adopt(written);
        }
    }

    private void probe() {
        Instant now = health.now();
        for (ReceiverEndpoint receiver : routing.configuration().receivers()) {
            if (health.condition(receiver.name()).state() == HealthState.DOWN
                    && ledger.claimProbe(receiver.name(), now, health.probeEvery())) {
                ledger.probe(receiver.name()).ifPresent(id -> LOG.fine(() -> "Probing receiver \"" + receiver.name()
                        + "\" with delivery " + id));
            }
        }
    }

    /** Lets the waiting deliveries of every receiver that no longer holds them go out. */
    private void release(Map<String, Long> waiting) {
        long deadline = System.nanoTime() + RELEASE_BUDGET.toNanos();
        waiting.forEach((receiver, count) -> {
            if (health.holds(receiver) || routing.receiver(receiver).isEmpty()) {
                return;
            }
            int released = 0;
            int chunk;
            do {
                chunk = ledger.release(receiver, RELEASE_CHUNK);
                released += chunk;
            } while (chunk == RELEASE_CHUNK && System.nanoTime() < deadline);
            int total = released;
            if (total > 0) {
                LOG.info(() -> "Receiver \"" + receiver + "\": " + total + " waiting deliveries sent again");
            }
        });
    }
}
