package org.courier.batch.purge;

import jakarta.batch.runtime.StepExecution;
import jakarta.batch.runtime.context.StepContext;
import java.io.Serializable;

/** A purge step's count (messages purged, tombstones removed), kept as the step's persistent user data. */
final class StepCount {

    private StepCount() {
    }

    static long of(StepContext step) {
        return of(step.getPersistentUserData());
    }

    static long of(StepExecution step) {
        return of(step.getPersistentUserData());
    }

    private static long of(Serializable data) {
        return data instanceof Long count ? count : 0;
    }
}
