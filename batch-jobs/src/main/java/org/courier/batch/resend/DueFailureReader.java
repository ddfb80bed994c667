package org.courier.batch.resend;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.Iterator;
import org.courier.resend.FailureStore;

/**
 * Reads the ids of the failure-store entries due when the step opens. A restarted step simply
 * reads again: entries resent by the earlier run are no longer due.
 */
@Named
@Dependent
public class DueFailureReader extends AbstractItemReader {

    @EJB
    private FailureStore store;

    @Inject
    @BatchProperty
    private String limit;

    private Iterator<String> due;

    @Override
    public void open(Serializable checkpoint) {
        due = store.dueIds(Instant.now(), Integer.parseInt(limit)).iterator();
    }

    @Override
    public Object readItem() {
        return due.hasNext() ? due.next() : null;
    }
}
