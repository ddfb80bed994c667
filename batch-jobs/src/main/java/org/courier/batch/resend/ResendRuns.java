package org.courier.batch.resend;

import jakarta.batch.operations.BatchRuntimeException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.courier.cluster.SharedJobRuns;
import org.courier.cluster.SharedJobRuns.RecordedStep;
import org.courier.operations.ActionRefused;

/**
 * Runs of the {@code courier-resend} job: start (not while one runs), status, stop and restart —
 * what the timer and operators use. With a job repository the nodes share ({@link SharedJobRuns},
 * PostgreSQL) "running" is anywhere in the cluster, runs a dead node left behind are ended first,
 * and a run's status is read from the tables. Two runs that overlap (an operator's and the
 * timer's) are safe: each entry is taken under its row lock.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ResendRuns {

    public static final String JOB = "courier-resend";
    private static final Logger LOG = Logger.getLogger(ResendRuns.class.getName());

    @EJB
    private SharedJobRuns shared;

    /** Starts a run unless one is running; the id of the new run, if any. */
    public Optional<Long> startUnlessRunning() {
        JobOperator jobs = BatchRuntime.getJobOperator();
        shared.endLeftBehindOrSay(JOB);
        if (!running(jobs)) {
            return Optional.of(jobs.start(JOB, shared.parameters()));
        }
        LOG.fine("Resend run skipped: the previous one is still running");
        return Optional.empty();
    }

    public long start() {
        return BatchRuntime.getJobOperator().start(JOB, shared.parameters());
    }

    public RunStatus status(long executionId) {
        if (shared.shared()) {
            try {
                return shared.read(executionId, JOB)
                        .map(run -> new RunStatus(executionId, run.status(),
                                run.steps().stream().mapToLong(RecordedStep::writeCount).sum()))
                        .orElseThrow(() -> new ActionRefused(ActionRefused.Reason.NOT_FOUND, "no run " + executionId + " of " + JOB));
            } catch (SQLException e) {
                throw new IllegalStateException("Run " + executionId + " of " + JOB + " could not be read: " + e.getMessage(), e);
            }
        }
        JobOperator jobs = BatchRuntime.getJobOperator();
        JobExecution execution = refusing(executionId, () -> jobs.getJobExecution(executionId));
        long written = jobs.getStepExecutions(executionId).stream()
                .map(StepExecution::getMetrics)
                .flatMap(Arrays::stream)
                .filter(m -> m.getType() == Metric.MetricType.WRITE_COUNT)
                .mapToLong(Metric::getValue)
                .sum();
        return new RunStatus(executionId, execution.getBatchStatus().name(), written);
    }

    public RunStatus stop(long executionId) {
        refusing(executionId, () -> {
            BatchRuntime.getJobOperator().stop(executionId);
            return null;
        });
        LOG.info(() -> "Operator stopped resend run " + executionId);
        return status(executionId);
    }

    public long restart(long executionId) {
        long restarted = refusing(executionId, () -> BatchRuntime.getJobOperator().restart(executionId, shared.parameters()));
        LOG.info(() -> "Operator restarted resend run " + executionId + " as " + restarted);
        return restarted;
    }

    /** Runs a job operation; an operator's mistake (unknown run, wrong state) becomes a refusal that says so. */
    private static <T> T refusing(long executionId, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (NoSuchJobExecutionException e) {
            throw new ActionRefused(ActionRefused.Reason.NOT_FOUND, "no run " + executionId + " of " + JOB);
        } catch (BatchRuntimeException e) {
            throw new ActionRefused(ActionRefused.Reason.CONFLICT, "run " + executionId + " of " + JOB + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static boolean running(JobOperator jobs) {
        try {
            return !jobs.getRunningExecutions(JOB).isEmpty();
        } catch (NoSuchJobException neverRan) {
            return false;
        }
    }

    /** A run and how many entries it took out of the store. */
    public record RunStatus(long executionId, String status, long resent) {
    }
}
