package org.courier.batch.purge;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.courier.cluster.ClusterSchedule;
import org.courier.message.Causes;
import org.courier.retention.PurgeRuns;

/**
 * Starts the purge job every {@value #INTERVAL} (ISO-8601, default {@value #DEFAULT}), the first
 * time one interval after the application starts, and not while the previous run is still
 * running on this node, once per cluster: each node's timer fires, and the node that claims the
 * run ({@link ClusterSchedule}) starts it. The timer is not persistent: it is created at each start, and a run
 * missed while the server was down is simply part of the next run's work.
 */
@Singleton
@Startup
public class PurgeScheduler {

    static final String INTERVAL = "courier.purge.interval";
    static final String DEFAULT = "P1D";
    private static final Logger LOG = Logger.getLogger(PurgeScheduler.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private PurgeRuns runs;

    @EJB
    private ClusterSchedule schedule;

    private Duration interval;

    @PostConstruct
    void schedule() {
        interval = interval();
        timers.createIntervalTimer(interval.toMillis(), interval.toMillis(), new TimerConfig(PurgeRuns.JOB, false));
        LOG.info(() -> "Courier purges settled messages past their retention every " + interval
                + " (once per cluster)");
    }

    @Timeout
    void run() {
        if (schedule.runsHere(PurgeRuns.JOB, interval)) {
            try {
                runs.startUnlessRunning(Instant.now());
            } catch (RuntimeException e) {
                // the job repository or the database away (an outage): the next tick tries again
                LOG.warning(() -> "Run of " + PurgeRuns.JOB + " not started now (tried again at the next tick): "
                        + Causes.rootMessage(e));
            }
        }
    }

    private static Duration interval() {
        String value = System.getProperty(INTERVAL, DEFAULT);
        try {
            Duration interval = Duration.parse(value);
            if (!interval.isNegative() && !interval.isZero()) {
                return interval;
            }
        } catch (RuntimeException notADuration) {
            // refused below, with the property named
        }
        throw new IllegalStateException("System property " + INTERVAL + "='" + value
                + "' is not a positive ISO-8601 duration such as P1D or PT6H");
    }
}
