package org.courier.batch.resend;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.List;
import org.courier.resend.FailureStore;

/** Gives each due entry its resend round, in the chunk's transaction. */
@Named
@Dependent
public class ResendWriter extends AbstractItemWriter {

    @EJB
    private FailureStore store;

    @Override
    public void writeItems(List<Object> deliveryIds) {
        Instant now = Instant.now();
        for (Object id : deliveryIds) {
            store.resendIfDue((String) id, now);
        }
    }
}
