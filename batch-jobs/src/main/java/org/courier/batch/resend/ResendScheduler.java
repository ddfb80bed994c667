package org.courier.batch.resend;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import java.time.Duration;
import java.util.logging.Logger;
import org.courier.cluster.ClusterSchedule;
import org.courier.message.Causes;

/**
 * Starts the resend job every {@value #INTERVAL} (ISO-8601, default PT1M), once per cluster: each
 * node's timer fires, and the node that claims the run ({@link ClusterSchedule}) starts it. The
 * timer is not persistent: it is created at each start, and a run missed while the server was
 * down is simply the next run's work (due entries stay due).
 */
@Singleton
@Startup
public class ResendScheduler {

    static final String INTERVAL = "courier.resend.interval";
    private static final Logger LOG = Logger.getLogger(ResendScheduler.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private ResendRuns runs;

    @EJB
    private ClusterSchedule schedule;

    private Duration interval;

    @PostConstruct
    void schedule() {
        String value = System.getProperty(INTERVAL, "PT1M");
        try {
            interval = Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalStateException("System property " + INTERVAL + "='" + value
                    + "' is not an ISO-8601 duration such as PT1M", e);
        }
        timers.createIntervalTimer(interval.toMillis(), interval.toMillis(), new TimerConfig(ResendRuns.JOB, false));
        LOG.info(() -> "Courier resends due failure-store entries every " + interval + " (once per cluster)");
    }

    @Timeout
    void run() {
        if (schedule.runsHere(ResendRuns.JOB, interval)) {
            try {
                runs.startUnlessRunning();
            } catch (RuntimeException e) {
                // the job repository or the database away (an outage): the next tick tries again
                LOG.warning(() -> "Run of " + ResendRuns.JOB + " not started now (tried again at the next tick): "
                        + Causes.rootMessage(e));
            }
        }
    }
}
