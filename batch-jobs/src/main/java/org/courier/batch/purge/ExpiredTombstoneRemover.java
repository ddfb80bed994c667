package org.courier.batch.purge;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.courier.retention.Tombstones;

/**
 * Removes the tombstones older than their period, in one transaction; the count goes into the
 * step's persistent user data. Running it again removes nothing more.
 */
@Named
@Dependent
public class ExpiredTombstoneRemover extends AbstractBatchlet {

    @EJB
    private Tombstones tombstones;

    @Inject
    private StepContext step;

    @Inject
    @BatchProperty
    private String cutoff;

    @Override
    public String process() {
        step.setPersistentUserData((long) tombstones.removeExpired(RunCutoff.of(cutoff)));
        return BatchStatus.COMPLETED.name();
    }
}
