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
import org.courier.idmapping.IdMappingStore;
import org.courier.retention.Tombstones;

/**
 * Removes expired records of one kind (property {@code records}): {@code tombstones} older than
 * their period, or {@code id-mappings} past their expiration; in one transaction, the count into
 * the step's persistent user data. Running it again removes nothing more.
 */
@Named
@Dependent
public class ExpiredRecordRemover extends AbstractBatchlet {

    @EJB
    private Tombstones tombstones;

    @EJB
    private IdMappingStore mappings;

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
            default -> throw new IllegalArgumentException("unknown records '" + records + "': tombstones or id-mappings");
        };
        step.setPersistentUserData((long) removed);
        return BatchStatus.COMPLETED.name();
    }
}
