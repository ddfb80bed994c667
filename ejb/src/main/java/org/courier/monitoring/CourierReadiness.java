package org.courier.monitoring;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check {@value #NAME} in WildFly's MicroProfile Health ({@code /health/ready} on
 * the management interface): UP when this node can take and deliver messages — its database
 * answers ({@code database}) and its broker lets it open the delivery queue ({@code jms}) —
 * else DOWN, and the load balancer should send senders elsewhere.
 *
 * <p>Blocked in-order queues are reported as data ({@code blockedQueues}: lanes whose head
 * waits for a resend or an operator, at most {@link CensusCache#TIME_TO_LIVE} old), and never
 * make the check DOWN: a blocked queue is one partner's problem, stored in the shared
 * database, and every node would report it alike. A readiness probe failing for it would take
 * every node out of the load balancer and stop all senders because of one receiver. Alert on
 * the gauge {@code courier_lanes_blocked} instead.
 */
@Readiness
@ApplicationScoped
public class CourierReadiness implements HealthCheck {

    static final String NAME = "courier";
    private static final int DATABASE_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(CourierReadiness.class.getName());

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource database;

    @Resource(lookup = "java:/ConnectionFactory")
    private ConnectionFactory broker;

    @Resource(lookup = "java:global/jms/courier/Delivery")
    private Queue deliveryQueue;

    @EJB
    private CourierGauges gauges;

    @Override
    public HealthCheckResponse call() {
        boolean databaseUp = databaseAnswers();
        boolean jmsUp = queueOpens();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(databaseUp && jmsUp)
                .withData("database", databaseUp ? "UP" : "DOWN")
                .withData("jms", jmsUp ? "UP" : "DOWN");
        if (databaseUp) {
            try {
                response.withData("blockedQueues", gauges.census().blockedLanes());
            } catch (RuntimeException notCounted) {
                LOG.fine(() -> "Blocked queues not counted for the health check: " + notCounted);
            }
        }
        return response.build();
    }

    private boolean databaseAnswers() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(DATABASE_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException down) {
            LOG.fine(() -> "Health check: database unavailable: " + down);
            return false;
        }
    }

    private boolean queueOpens() {
        try (JMSContext context = broker.createContext()) {
            context.createBrowser(deliveryQueue).close();
            return true;
        } catch (JMSException | RuntimeException down) {
            LOG.fine(() -> "Health check: delivery queue unavailable: " + down);
            return false;
        }
    }
}
