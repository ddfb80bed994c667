package org.courier.aggregation;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.courier.ingest.ReceiptLedger;
import org.courier.routing.RoutingTable;

/**
 * Releases aggregates whose timeout passed: every 5 seconds it asks the database which are due
 * and releases each in a transaction of its own. The due times live in the database, not in
 * the timer, so a timeout that passes while the server is down is honoured at the first tick
 * after the restart; on several nodes each due aggregate is released once (row lock).
 * A non-persistent calendar timer: it appears under the EJB's timers in the WildFly console
 * and CLI.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AggregationTimer {

    static final int PER_TICK = 100;
    private static final Logger LOG = Logger.getLogger(AggregationTimer.class.getName());

    private final AtomicBoolean running = new AtomicBoolean();

    @EJB
    private Aggregator aggregator;

    @EJB
    private ReceiptLedger ledger;

    @EJB
    private RoutingTable routing;

    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = "courier-aggregation-timeouts")
    void releaseDue() {
        if (routing.configuration().aggregators().isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            List<String> due = aggregator.due(Instant.now(), PER_TICK);
            for (String aggregationId : due) {
                try {
                    ledger.releaseDue(aggregationId);
                } catch (RuntimeException e) {
                    LOG.warning(() -> "A due aggregate (aggregation " + aggregationId + ") was not released now, next tick"
                            + " tries again: " + rootMessage(e));
                }
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "Looking for due aggregates failed, next tick tries again: " + rootMessage(e));
        } finally {
            running.set(false);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
