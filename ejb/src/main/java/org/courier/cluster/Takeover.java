package org.courier.cluster;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;

/**
 * What a node does for a dead one, each step in a transaction of its own: rolls back the
 * transactions the dead node left prepared in the database, and dispatches again, on this node,
 * each of its pending deliveries. A row another transaction holds is skipped, not waited for: the
 * next round tries it again.
 */
@Stateless
public class Takeover {

    /** Narayana's format id: the transaction ids the nodes' transaction managers make. */
    static final int NARAYANA_FORMAT = 131077;
    /** The bytes of Narayana's Uid that start every global transaction id; the node's id follows. */
    static final int UID_BYTES = 28;
    private static final int CHUNK = 500;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private DeliveryDispatcher dispatcher;

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource dataSource;

    /** The ids of up to 500 pending deliveries whose current dispatch is in {@code node}'s broker. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<String> pendingOf(String node) {
        return em.createQuery("select d.id from Delivery d where d.dispatchedBy = :node and d.state = :pending", String.class)
                .setParameter("node", node)
                .setParameter("pending", DeliveryState.PENDING)
                .setMaxResults(CHUNK)
                .getResultList();
    }

    /**
     * Dispatches the delivery again from this node if it is still pending with its message in
     * {@code node}'s broker; false if it is not (settled, taken over already). A row another
     * transaction holds (one the dead node left prepared, until it is rolled back) is not waited
     * for: the lock fails at once, and with it this transaction.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean redispatch(String deliveryId, String node) {
        Delivery delivery = em.find(Delivery.class, deliveryId, LockModeType.PESSIMISTIC_WRITE,
                Map.of("jakarta.persistence.lock.timeout", 0));
        if (delivery == null || delivery.state() != DeliveryState.PENDING || !node.equals(delivery.dispatchedBy())) {
            return false;
        }
        dispatcher.dispatch(delivery);
        return true;
    }

    /**
     * Rolls back the transactions {@code node} left prepared in the database (PostgreSQL's
     * pg_prepared_xacts; H2 serves one server and prepares nothing): presumed abort, the outcome
     * the transaction manager itself gives a prepared branch its log does not know. Only the
     * node's transaction log knows whether one was about to commit, and the node is dead: a
     * receipt rolled back was never acknowledged (the sender sends it again); a delivery rolled
     * back goes again, and a non-idempotent receiver's attempt, logged before the request, makes
     * it in doubt instead of sending it twice. Returns how many were rolled back.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int rollBackPreparedOf(String node) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql")) {
                return 0;
            }
            List<String> theirs = new ArrayList<>();
            try (PreparedStatement prepared = connection.prepareStatement(
                    "select gid from pg_prepared_xacts where database = current_database()");
                 ResultSet rows = prepared.executeQuery()) {
                while (rows.next()) {
                    if (node.equals(nodeOf(rows.getString(1)))) {
                        theirs.add(rows.getString(1));
                    }
                }
            }
            int rolledBack = 0;
            for (String gid : theirs) {
                try (Statement rollback = connection.createStatement()) {
                    rollback.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
                    rolledBack++;
                } catch (SQLException gone) {
                    // finished meanwhile (its node's recovery, or another node's takeover): nothing to do
                }
            }
            return rolledBack;
        }
    }

    /**
     * The node id inside a prepared transaction's name as PostgreSQL's XA data source writes it
     * ({@code formatId_base64(globalId)_base64(branch)}), or null if it is not a Narayana id.
     */
    static String nodeOf(String gid) {
        String[] parts = gid.split("_");
        if (parts.length != 3 || !parts[0].equals(Integer.toString(NARAYANA_FORMAT))) {
            return null;
        }
        try {
            byte[] global = Base64.getDecoder().decode(parts[1]);
            return global.length > UID_BYTES
                    ? new String(Arrays.copyOfRange(global, UID_BYTES, global.length), StandardCharsets.UTF_8)
                    : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
