package org.courier.aggregation;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.courier.cluster.ClusterSchedule;
import org.courier.ingest.ReceiptLedger;
import org.courier.message.Causes;
import org.courier.routing.RoutingTable;

/**
 * Releases aggregates whose timeout passed: every 5 seconds it asks the database which are due
 * and releases each in a transaction of its own. The due times live in the database, not in
 * the timer, so a timeout that passes while the server is down is honoured at the first tick
 * after the restart. On several nodes one node looks at each tick ({@link ClusterSchedule}), and
 * each due aggregate is released once whatever happens (row lock).
 * A non-persistent calendar timer: it appears under the EJB's timers in the WildFly console
 * and CLI.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AggregationTimer {

    static final int PER_TICK = 100;
    static final String SCHEDULE = "courier-aggregation-timeouts";
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(AggregationTimer.class.getName());

    private final AtomicBoolean running = new AtomicBoolean();

    @EJB
    private Aggregator aggregator;

    @EJB
    private ReceiptLedger ledger;

    @EJB
    private RoutingTable routing;

    @EJB
    private ClusterSchedule schedule;

    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = SCHEDULE)
    void releaseDue() {
        if (routing.configuration().aggregators().isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!schedule.runsHere(SCHEDULE, TICK)) {
                return;
            }
            List<String> due = aggregator.due(Instant.now(), PER_TICK);
            for (String aggregationId : due) {
                try {
                    ledger.releaseDue(aggregationId);
                } catch (RuntimeException e) {
                    LOG.warning(() -> "A due aggregate (aggregation " + aggregationId + ") was not released now, next tick"
                            + " tries again: " + Causes.rootMessage(e));
                }
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "Looking for due aggregates failed, next tick tries again: " + Causes.rootMessage(e));
        } finally {
            running.set(false);
        }
    }
}
