package org.courier.batch.purge;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import org.courier.aggregation.Aggregator;
import org.courier.audit.AuditTrail;
import org.courier.call.CallLedger;
import org.courier.idmapping.IdMappingStore;
import org.courier.retention.RetentionPeriods;
import org.courier.retention.Tombstones;
import org.courier.steps.IdempotentStep;

/**
 * Removes expired records of one kind (property {@code records}): {@code tombstones} older than
 * their period; {@code id-mappings} past their expiration; {@code process-records}: stored call
 * responses and idempotent-step records past their expiration (the idempotency window: message
 * retention plus tombstones), and aggregation counters with nothing open whose last release is
 * older than the longest a released aggregate's id is known (trouble retention plus tombstones);
 * {@code audit}: audit trail entries older than the trouble retention ({@code courier.retention.failures}).
 * The count goes into the step's persistent user data. Running it again removes nothing more.
 */
@Named
@Dependent
public class ExpiredRecordRemover extends AbstractBatchlet {

    @EJB
    private Tombstones tombstones;

    @EJB
    private IdMappingStore mappings;

    @EJB
    private CallLedger calls;

    @EJB
    private IdempotentStep steps;

    @EJB
    private Aggregator aggregator;

    @EJB
    private AuditTrail audit;

    @EJB
    private RetentionPeriods retention;

    @Inject
    private StepContext step;

    @Inject
    @BatchProperty
    private String records;

    @Inject
    @BatchProperty
    private String cutoff;

    @Override
    public String process() {
        Instant asOf = RunCutoff.of(cutoff);
        int removed = switch (records) {
            case "tombstones" -> tombstones.removeExpired(asOf);
            case "id-mappings" -> mappings.removeExpired(asOf);
            case "process-records" -> calls.removeExpired(asOf) + steps.removeExpired(asOf)
                    + aggregator.removeIdle(asOf.minus(retention.policy().period(true)).minus(retention.policy().tombstones()));
            case "audit" -> audit.removeExpired(asOf);
            default -> throw new IllegalArgumentException("unknown records '" + records
                    + "': tombstones, id-mappings, process-records or audit");
        };
        step.setPersistentUserData((long) removed);
        return BatchStatus.COMPLETED.name();
    }
}
