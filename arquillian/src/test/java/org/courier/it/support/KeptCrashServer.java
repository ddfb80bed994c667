package org.courier.it.support;

import org.jboss.arquillian.container.spi.event.StopManualContainers;
import org.jboss.arquillian.core.api.Event;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.event.suite.AfterSuite;

/**
 * Lets the crash suites' server outlive a test class. Arquillian stops every manual container
 * at the end of each class; while {@link #keep(boolean) kept}, that stop is left out, and the
 * server is stopped at the end of the run instead (Arquillian itself stops only suite containers
 * there). Registered in {@code META-INF/services}; nothing changes for a run that never keeps it.
 */
public class KeptCrashServer implements LoadableExtension {

    private static volatile boolean kept;
    private static volatile boolean ending;

    /** Whether the end of the current test class leaves the manual containers running. */
    public static void keep(boolean keep) {
        kept = keep;
    }

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Keeper.class);
    }

    /** Observes Arquillian's own events, as its extensions do. */
    public static class Keeper {

        @Inject
        private Event<StopManualContainers> stopManualContainers;

        public void stopUnlessKept(@Observes EventContext<StopManualContainers> stop) {
            if (!kept || ending) {
                stop.proceed();
            }
        }

        public void stopAtTheEnd(@Observes AfterSuite suite) {
            ending = true;
            stopManualContainers.fire(new StopManualContainers());
        }
    }
}
