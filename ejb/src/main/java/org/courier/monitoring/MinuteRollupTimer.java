package org.courier.monitoring;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.courier.cluster.ClusterSchedule;
import org.courier.message.Causes;

/**
 * Keeps the overview's per-minute counts ({@link MinuteRollup}) up to date: every 20 seconds one
 * node of the cluster ({@link ClusterSchedule}, schedule {@value #SCHEDULE}) takes a step. A step
 * that fails changes nothing (one transaction) and is logged in one line, once until one works
 * again; the next tick tries again, and until then the overview counts the minutes not covered
 * from the messages themselves. A non-persistent calendar timer: it appears under the EJB's
 * timers in the WildFly console and CLI.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MinuteRollupTimer {

    static final String SCHEDULE = "courier-minutes";
    private static final Duration TICK = Duration.ofSeconds(20);
    private static final Logger LOG = Logger.getLogger(MinuteRollupTimer.class.getName());

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    @EJB
    private MinuteRollup rollup;

    @EJB
    private ClusterSchedule schedule;

    @Schedule(second = "*/20", minute = "*", hour = "*", persistent = false, info = SCHEDULE)
    void step() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!schedule.runsHere(SCHEDULE, TICK)) {
                return;
            }
            MinuteRollup.Step step = rollup.advance(Instant.now());
            if (failing.compareAndSet(true, false)) {
                LOG.info("The overview's per-minute counts are kept up to date again");
            }
            LOG.log(Level.FINE, () -> "Per-minute counts: " + step);
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warning(() -> "The overview's per-minute counts were not brought up to date (next tick tries again;"
                        + " until then the overview counts the minutes not covered from the messages): "
                        + Causes.rootMessage(e));
            }
        } finally {
            running.set(false);
        }
    }
}
