package org.courier.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check {@value #NAME} in WildFly's MicroProfile Health ({@code /health/ready} on
 * the management interface): UP when this node can take and deliver messages — its database
 * answers ({@code database}) and its broker opens the delivery queue ({@code jms}) — else
 * DOWN, and a load balancer should send senders elsewhere.
 *
 * <p>Blocked in-order queues are reported as data ({@code blockedQueues}: lanes whose head has
 * failed at least once — BLOCKED in the queue view and the monitor — as the gauge
 * {@code courier_lanes_blocked} counts them) and never make the check DOWN: a blocked queue is
 * one partner's problem, kept in the shared database, and every node would report it alike. A
 * readiness probe failing for it would take every node out of the load balancer and stop all
 * senders because of one receiver. Alert on the gauge instead.
 *
 * <p>Receivers that are DOWN or in MAINTENANCE are reported the same way, as data
 * ({@code receiversDown}: "name (STATE since time)", comma separated).
 *
 * <p>The version of the routing configuration in force on this node is data too
 * ({@code configuration}, docs/configuration.md): {@code server/courier-cluster.sh status} prints
 * it for every node.
 *
 * <p>The database check is that count itself, with a time limit: one indexed query per probe
 * (the few stopped deliveries, by state, joined to their lane by the lane's head index).
 */
@Readiness
@ApplicationScoped
public class CourierReadiness implements HealthCheck {

    static final String NAME = "courier";
    /** The rule of {@code org.courier.operations.LaneState.BLOCKED} (this library cannot see the EJB jar). */
    static final String BLOCKED_LANES = "select count(*) from COURIER_LANE l join COURIER_DELIVERY d"
            + " on d.ID = l.HEAD_DELIVERY_ID where d.STATE <> 'PENDING' or d.ATTEMPTS > 0";
    /** The receivers {@code org.courier.receivers.HealthState#holdsDeliveries()}. */
    static final String RECEIVERS_HELD = "select RECEIVER, STATE, SINCE from COURIER_RECEIVER_HEALTH"
            + " where STATE in ('DOWN', 'MAINTENANCE') order by RECEIVER";
    /** The version of the routing configuration this node has in force, beside its heartbeat. */
    static final String CONFIGURATION = "select CONFIG_VERSION from COURIER_NODE where NODE_ID = ?";
    /** This node's id: {@code org.courier.cluster.ClusterNode} (this library cannot see the EJB jar). */
    static final String NODE_ID = System.getProperty("courier.node.id", "courier-1");
    private static final int QUERY_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(CourierReadiness.class.getName());

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource database;

    @Resource(lookup = "java:/ConnectionFactory")
    private ConnectionFactory broker;

    @Resource(lookup = "java:global/jms/courier/Delivery")
    private Queue deliveryQueue;

    @Override
    public HealthCheckResponse call() {
        OptionalLong blocked = blockedLanes();
        boolean jmsUp = deliveryQueueOpens();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(blocked.isPresent() && jmsUp)
                .withData("database", blocked.isPresent() ? "UP" : "DOWN")
                .withData("jms", jmsUp ? "UP" : "DOWN");
        blocked.ifPresent(count -> response.withData("blockedQueues", count));
        if (blocked.isPresent()) {
            receiversHeld().ifPresent(held -> response.withData("receiversDown", held));
            configuration().ifPresent(version -> response.withData("configuration", version));
        }
        return response.build();
    }

    /**
     * The receivers whose deliveries wait (DOWN or in MAINTENANCE), "name (STATE since ...)" comma
     * separated, "" if none; empty if the database did not answer. Data, never a reason for DOWN:
     * like a blocked queue, a receiver that is down is one partner's problem.
     */
    private Optional<String> receiversHeld() {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(RECEIVERS_HELD)) {
            query.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            StringJoiner held = new StringJoiner(", ");
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    held.add(result.getString(1) + " (" + result.getString(2) + " since "
                            + result.getTimestamp(3).toInstant() + ")");
                }
            }
            return Optional.of(held.toString());
        } catch (SQLException | RuntimeException down) {
            LOG.fine(() -> "Readiness: receiver health unavailable: " + down);
            return Optional.empty();
        }
    }

    /** The number of blocked lanes; empty if the database did not answer in time. */
    private OptionalLong blockedLanes() {
        try (Connection connection = database.getConnection();
             PreparedStatement count = connection.prepareStatement(BLOCKED_LANES)) {
            count.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return OptionalLong.of(result.getLong(1));
            }
        } catch (SQLException | RuntimeException down) {
            LOG.fine(() -> "Readiness: database unavailable: " + down);
            return OptionalLong.empty();
        }
    }

    /**
     * The version of the routing configuration in force on this node (docs/configuration.md), as
     * it records it at every heartbeat; empty before its first one or if the database did not answer.
     */
    private Optional<String> configuration() {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(CONFIGURATION)) {
            query.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            query.setString(1, NODE_ID);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? Optional.ofNullable(result.getString(1)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException down) {
            LOG.fine(() -> "Readiness: configuration version unavailable: " + down);
            return Optional.empty();
        }
    }

    private boolean deliveryQueueOpens() {
        try (JMSContext context = broker.createContext()) {
            context.createBrowser(deliveryQueue).close();
            return true;
        } catch (JMSException | RuntimeException down) {
            LOG.fine(() -> "Readiness: delivery queue unavailable: " + down);
            return false;
        }
    }
}
