package org.courier.batch.purge;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.courier.retention.MessagePurge;

/**
 * Purges each message of the chunk, in the chunk's transaction, and keeps the step's count of
 * purged messages in its persistent user data (saved with each checkpoint, so it survives a
 * restart; {@link BatchPurgeRuns} reads it). A message no longer due is passed over.
 */
@Named
@Dependent
public class MessagePurgeWriter extends AbstractItemWriter {

    @EJB
    private MessagePurge purge;

    @Inject
    private StepContext step;

    @Inject
    @BatchProperty
    private String cutoff;

    @Override
    public void writeItems(List<Object> messageKeys) {
        var asOf = RunCutoff.of(cutoff);
        long purged = messageKeys.stream().filter(key -> purge.purge((String) key, asOf)).count();
        step.setPersistentUserData(StepCount.of(step) + purged);
    }
}
