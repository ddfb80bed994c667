package org.courier.batch.purge;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Iterator;
import org.courier.retention.MessagePurge;

/**
 * Reads the keys of the messages due for purging when the step opens, longest settled first,
 * at most {@code limit} per run. No checkpoint: a restarted step simply reads again, and what
 * the earlier run purged is no longer there.
 */
@Named
@Dependent
public class PurgeableMessageReader extends AbstractItemReader {

    @EJB
    private MessagePurge purge;

    @Inject
    @BatchProperty
    private String cutoff;

    @Inject
    @BatchProperty
    private String limit;

    private Iterator<String> due;

    @Override
    public void open(Serializable checkpoint) {
        due = purge.purgeable(RunCutoff.of(cutoff), Integer.parseInt(limit)).iterator();
    }

    @Override
    public Object readItem() {
        return due.hasNext() ? due.next() : null;
    }
}
