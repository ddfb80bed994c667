package org.courier.it.support;

import org.jboss.arquillian.container.spi.event.DeployDeployment;
import org.jboss.arquillian.container.spi.event.StopSuiteContainers;
import org.jboss.arquillian.container.spi.event.UnDeployDeployment;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Deploys Courier once for the whole end-to-end suite instead of once per test class. Every class
 * declares the same deployment ({@link CourierDeployment#ear()}); Arquillian deploys it before
 * each class and undeploys it after, ~10 s a class. Here the first class's deploy goes through,
 * the later ones find Courier deployed and leave it, no class undeploys it, and it is undeployed
 * once before the suite's server stops. The database and the broker were always shared by the
 * classes; what a class leaves in Courier's memory (a reloaded configuration, a receiver's health)
 * each class puts back itself, as its tests already do for each other.
 *
 * <p>Only the suite container ({@value #CONTAINER}) and only Courier's EAR: the crash suites'
 * server is deployed by the tests themselves ({@code KilledServerTest}). Registered in
 * {@code META-INF/services}.
 */
public class SuiteDeployment implements LoadableExtension {

    static final String CONTAINER = "wildfly";
    private static final String EAR = "courier.ear";

    private static volatile boolean deployed;

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Keeper.class);
    }

    private static boolean courierOnTheSuiteServer(String container, String archive) {
        return CONTAINER.equals(container) && EAR.equals(archive);
    }

    /** Observes Arquillian's own events, as its extensions do. */
    public static class Keeper {

        public void deployOnce(@Observes EventContext<DeployDeployment> deploy) {
            DeployDeployment event = deploy.getEvent();
            if (!courierOnTheSuiteServer(event.getContainerName(), event.getDeployment().getDescription().getArchive().getName())) {
                deploy.proceed();
                return;
            }
            if (!deployed) {
                deploy.proceed();
                deployed = event.getDeployment().isDeployed();
            }
        }

        public void keepDeployed(@Observes EventContext<UnDeployDeployment> undeploy) {
            UnDeployDeployment event = undeploy.getEvent();
            if (!courierOnTheSuiteServer(event.getContainerName(), event.getDeployment().getDescription().getArchive().getName())) {
                undeploy.proceed();
            }
        }

        public void undeployBeforeTheServerStops(@Observes EventContext<StopSuiteContainers> stop) {
            if (deployed) {
                deployed = false;
                WildFlyCli.run(WildFlyCli.DEFAULT_PORT, "undeploy " + EAR);
            }
            stop.proceed();
        }
    }
}
