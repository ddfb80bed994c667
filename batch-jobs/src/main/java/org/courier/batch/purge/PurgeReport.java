package org.courier.batch.purge;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.logging.Logger;
import org.courier.retention.PurgeRuns;

/** Writes the one log line of a purge run: as of when, how many messages purged and tombstones removed. */
@Named
@Dependent
public class PurgeReport extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger(PurgeReport.class.getName());

    @Inject
    private JobContext job;

    @EJB
    private PurgeRuns runs;

    @Override
    public void afterJob() {
        runs.find(job.getExecutionId()).ifPresent(run -> LOG.info(() -> "Retention purge run " + run.executionId()
                + " as of " + run.cutoff() + ": " + run.purged() + " settled messages purged (tombstones kept), "
                + run.tombstonesRemoved() + " expired tombstones removed"));
    }
}
