package org.courier.batch.purge;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import org.courier.cluster.SharedJobRuns;
import org.courier.cluster.SharedJobRuns.RecordedRun;
import org.courier.cluster.SharedJobRuns.RecordedStep;
import org.courier.retention.PurgeRun;
import org.courier.retention.PurgeRuns;

/**
 * {@link PurgeRuns} through the Jakarta Batch job operator. Lives in this module, with the job
 * XML and the artifacts, so a run started through it (also from the admin API in the WAR)
 * starts in this deployment's batch environment. A run's counts are its steps' persistent
 * user data ({@link StepCount}). With a job repository the nodes share ({@link SharedJobRuns}) a
 * run is read from its tables, and runs left behind by a node that died are ended first.
 */
@Stateless
@Local(PurgeRuns.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BatchPurgeRuns implements PurgeRuns {

    static final String MESSAGES_STEP = "purge-messages";
    static final String TOMBSTONES_STEP = "remove-expired-tombstones";
    private static final Logger LOG = Logger.getLogger(BatchPurgeRuns.class.getName());

    @EJB
    private SharedJobRuns shared;

    @Override
    public Optional<PurgeRun> startUnlessRunning(Instant cutoff) {
        JobOperator jobs = BatchRuntime.getJobOperator();
        shared.endLeftBehindOrSay(JOB);
        if (running(jobs)) {
            LOG.fine("Purge run not started: the previous one is still running");
            return Optional.empty();
        }
        Properties parameters = shared.parameters();
        parameters.setProperty(CUTOFF, cutoff.toString());
        long executionId = jobs.start(JOB, parameters);
        return Optional.of(new PurgeRun(executionId, BatchStatus.STARTING.name(), cutoff.toString(), 0, 0));
    }

    @Override
    public Optional<PurgeRun> find(long executionId) {
        if (shared.shared()) {
            try {
                return shared.read(executionId, JOB).map(BatchPurgeRuns::run);
            } catch (SQLException e) {
                throw new IllegalStateException("Purge run " + executionId + " could not be read: " + e.getMessage(), e);
            }
        }
        JobOperator jobs = BatchRuntime.getJobOperator();
        try {
            JobExecution execution = jobs.getJobExecution(executionId);
            return JOB.equals(execution.getJobName()) ? Optional.of(run(jobs, execution)) : Optional.empty();
        } catch (NoSuchJobExecutionException | NoSuchJobException unknown) {
            return Optional.empty();
        }
    }

    private static PurgeRun run(RecordedRun run) {
        long purged = 0;
        long tombstonesRemoved = 0;
        for (RecordedStep step : run.steps()) {
            if (MESSAGES_STEP.equals(step.name())) {
                purged = step.userCount();
            } else if (TOMBSTONES_STEP.equals(step.name())) {
                tombstonesRemoved = step.userCount();
            }
        }
        return new PurgeRun(run.executionId(), run.status(), run.parameters().getProperty(CUTOFF), purged, tombstonesRemoved);
    }

    private static PurgeRun run(JobOperator jobs, JobExecution execution) {
        long purged = 0;
        long tombstonesRemoved = 0;
        for (StepExecution step : jobs.getStepExecutions(execution.getExecutionId())) {
            if (MESSAGES_STEP.equals(step.getStepName())) {
                purged = StepCount.of(step);
            } else if (TOMBSTONES_STEP.equals(step.getStepName())) {
                tombstonesRemoved = StepCount.of(step);
            }
        }
        Properties parameters = execution.getJobParameters();
        return new PurgeRun(execution.getExecutionId(), execution.getBatchStatus().name(),
                parameters == null ? null : parameters.getProperty(CUTOFF), purged, tombstonesRemoved);
    }

    private static boolean running(JobOperator jobs) {
        try {
            return !jobs.getRunningExecutions(JOB).isEmpty();
        } catch (NoSuchJobException neverRan) {
            return false;
        }
    }
}
