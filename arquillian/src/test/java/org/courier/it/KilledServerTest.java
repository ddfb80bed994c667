package org.courier.it;

import org.courier.it.support.CourierDeployment;
import org.courier.it.support.WildFlyProcess;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the kill -9 suites (classes named {@code *CrashIT}, run by their own failsafe
 * execution): each test gets a freshly started server with the real EAR, and
 * {@link #crashAndRestart()} kills it with SIGKILL — no shutdown hook, no flush — and starts it
 * again, which redeploys the EAR recorded in its configuration.
 */
@ExtendWith(ArquillianExtension.class)
abstract class KilledServerTest {

    static final String CONTAINER = "crash";
    static final String DEPLOYMENT = "courier";
    /** The crash container runs with the default courier.delivery.parallel. */
    static final int DELIVERIES_IN_FLIGHT = 16;

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startServer() {
        controller.start(CONTAINER);
        deployer.deploy(DEPLOYMENT);
    }

    @AfterEach
    void stopServer() {
        try {
            deployer.undeploy(DEPLOYMENT);
        } finally {
            controller.stop(CONTAINER);
        }
    }

    void crashAndRestart() throws Exception {
        crash();
        restart();
    }

    void crash() throws Exception {
        WildFlyProcess.killHard();
    }

    void restart() {
        // Arquillian still thinks the killed server runs: without kill(), start() does nothing
        controller.kill(CONTAINER);
        controller.start(CONTAINER);
    }
}
