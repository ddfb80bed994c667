package org.courier.retention;

import java.time.Instant;
import java.util.Optional;

/**
 * Runs of the retention purge job ({@value #JOB}), as the timer and operators start and follow
 * them. Implemented next to the job itself (module {@code batch-jobs}), so that a run starts in
 * the deployment that holds its job XML and artifacts; callers find it by this interface.
 *
 * <p>On H2 runs are known on the node that started them, until it restarts (WildFly's in-memory
 * job repository); on PostgreSQL they are in the job repository the nodes share
 * ({@link org.courier.cluster.SharedJobRuns}). A purge is safe to run again or on two nodes at
 * once: every message is checked once more under its row lock before it goes.
 */
public interface PurgeRuns {

    /** The job's name: {@code META-INF/batch-jobs/courier-purge.xml}. */
    String JOB = "courier-purge";

    /** The job parameter that holds the run's "now" (ISO-8601 instant). */
    String CUTOFF = "cutoff";

    /**
     * Starts a run as of {@code cutoff} unless one is running (on this node; with a shared job
     * repository, on any node).
     *
     * @return the new run, or empty if one was running
     */
    Optional<PurgeRun> startUnlessRunning(Instant cutoff);

    /** The run with this execution id; empty if no purge run by that id is known here. */
    Optional<PurgeRun> find(long executionId);
}
