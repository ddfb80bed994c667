package org.courier.cluster;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The routing configuration the nodes of a cluster share, in the shared database
 * (COURIER_CONFIGURATION, one row): the file a node put in force, as bytes, with its version and
 * who put it in force where and when; and beside each node's heartbeat (COURIER_NODE) the version
 * that node has in force. A node that reloads its file publishes it here; every other node takes
 * it at its next heartbeat ({@link org.courier.routing.RoutingTable#follow()}). On a single
 * server the row is the server's own file. Each call is its own statement, outside any
 * transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SharedConfiguration {

    private static final int ROW = 1;
    private static final int MAX_BY = 100;

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource dataSource;

    /** The configuration the cluster has in force: its file's bytes and version, who put it in force, on which node and when. */
    public record Published(String version, byte[] content, Instant changedAt, String changedBy, String changedOn) {
    }

    /** What one node has in force, and when it was last seen (its heartbeat). */
    public record NodeVersion(String node, String version, Instant seenAt) {
    }

    /** The version of the cluster's configuration, without its content (read at every heartbeat). */
    public Optional<String> publishedVersion() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select VERSION from COURIER_CONFIGURATION where ID = ?")) {
            select.setInt(1, ROW);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the cluster's routing configuration cannot be read: " + e.getMessage(), e);
        }
    }

    public Optional<Published> published() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select VERSION, CONTENT, CHANGED_AT, CHANGED_BY, CHANGED_ON"
                     + " from COURIER_CONFIGURATION where ID = ?")) {
            select.setInt(1, ROW);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Published(row.getString(1), Base64.getDecoder().decode(row.getString(2)),
                        row.getTimestamp(3).toInstant(), row.getString(4), row.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the cluster's routing configuration cannot be read: " + e.getMessage(), e);
        }
    }

    /** Makes {@code content} (version {@code version}) the cluster's configuration, put in force by {@code by} on this node. */
    public void publish(String version, byte[] content, String by) {
        String who = by.length() > MAX_BY ? by.substring(0, MAX_BY) : by;
        try (Connection connection = dataSource.getConnection()) {
            if (write(connection, "update COURIER_CONFIGURATION set VERSION = ?, CONTENT = ?, CHANGED_AT = ?, CHANGED_BY = ?,"
                    + " CHANGED_ON = ? where ID = ?", version, content, who) == 0) {
                try {
                    write(connection, "insert into COURIER_CONFIGURATION (VERSION, CONTENT, CHANGED_AT, CHANGED_BY, CHANGED_ON, ID)"
                            + " values (?, ?, ?, ?, ?, ?)", version, content, who);
                } catch (SQLException firstOfTwo) {
                    // another node inserted the row at the same moment: this one's publication is the later one
                    write(connection, "update COURIER_CONFIGURATION set VERSION = ?, CONTENT = ?, CHANGED_AT = ?, CHANGED_BY = ?,"
                            + " CHANGED_ON = ? where ID = ?", version, content, who);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the routing configuration cannot be shared with the cluster: " + e.getMessage(), e);
        }
    }

    private static int write(Connection connection, String sql, String version, byte[] content, String by) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, version);
            statement.setString(2, Base64.getEncoder().encodeToString(content));
            statement.setTimestamp(3, Timestamp.from(Instant.now()));
            statement.setString(4, by);
            statement.setString(5, ClusterNode.ID);
            statement.setInt(6, ROW);
            return statement.executeUpdate();
        }
    }

    /** Records beside this node's heartbeat the version it has in force (nothing if its row is not written yet). */
    public void inForceHere(String version) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update COURIER_NODE set CONFIG_VERSION = ? where NODE_ID = ?")) {
            update.setString(1, version);
            update.setString(2, ClusterNode.ID);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the version in force cannot be recorded: " + e.getMessage(), e);
        }
    }

    /** Whether another node has beaten within {@code within} (database time): a cluster this node joins. */
    public boolean othersAlive(Duration within) {
        return nodes().stream().anyMatch(node -> !node.node().equals(ClusterNode.ID) && node.seenAt() != null
                && node.seenAt().isAfter(databaseNow().minus(within)));
    }

    /** Every node of COURIER_NODE with the version it has in force, by node id. */
    public List<NodeVersion> nodes() {
        List<NodeVersion> nodes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select NODE_ID, CONFIG_VERSION, SEEN_AT from COURIER_NODE order by NODE_ID");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Timestamp seen = rows.getTimestamp(3);
                nodes.add(new NodeVersion(rows.getString(1), rows.getString(2), seen == null ? null : seen.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the nodes' versions cannot be read: " + e.getMessage(), e);
        }
        return nodes;
    }

    private Instant databaseNow() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select LOCALTIMESTAMP from COURIER_NODE");
             ResultSet row = select.executeQuery()) {
            return row.next() ? row.getTimestamp(1).toInstant() : Instant.now();
        } catch (SQLException e) {
            throw new IllegalStateException("the database's time cannot be read: " + e.getMessage(), e);
        }
    }
}
