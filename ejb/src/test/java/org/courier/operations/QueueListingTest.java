package org.courier.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.courier.access.OperatorScope;
import org.courier.schema.SchemaMigrations;
import org.courier.schema.SchemaMigrations.Vendor;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The list of in-order queues on a real (in-memory) H2 database with Courier's schema. */
class QueueListingTest {

    private final JdbcDataSource h2 = new JdbcDataSource();

    @BeforeEach
    void schemaWithQueues() throws SQLException {
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        SchemaMigrations.configure(h2, Vendor.H2).migrate();
        execute("INSERT INTO COURIER_MESSAGE (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS, PAYLOAD_HASH, PAYLOAD,"
                + " ACCEPTED_AT) VALUES ('m', 'ERP', 'm-1', 'Orders', 'ExactlyOnceInOrder', 'h', '<o/>', CURRENT_TIMESTAMP)");
        queue("ERP", "q-idle", lane("a", null));
        queue("ERP", "q-flowing", lane("a", head("PENDING", 0)));
        queue("CRM", "q-blocked", lane("a", head("FAILED", 5)), lane("b", null));
        queue("ERP", "q-retrying", lane("a", head("PENDING", 2)));
        queue("ERP", "q-both", lane("a", head("PENDING", 0)), lane("b", head("ERROR", 1)));
    }

    @Test
    void allQueuesBlockedFirstThenBySenderAndQueueId() throws SQLException {
        assertThat(list(QueueListing.of(OperatorScope.EVERYTHING, null, null, null, null)))
                .containsExactly("CRM/q-blocked", "ERP/q-both", "ERP/q-retrying", "ERP/q-flowing", "ERP/q-idle");
    }

    @Test
    void aStateSelectsQueuesWithALaneInIt() throws SQLException {
        assertThat(list(QueueListing.of(OperatorScope.EVERYTHING, "BLOCKED", "", null, null)))
                .containsExactly("CRM/q-blocked", "ERP/q-both", "ERP/q-retrying");
        assertThat(list(QueueListing.of(OperatorScope.EVERYTHING, "flowing", null, null, null))).containsExactly("ERP/q-both", "ERP/q-flowing");
        assertThat(list(QueueListing.of(OperatorScope.EVERYTHING, "IDLE", null, null, null))).containsExactly("CRM/q-blocked", "ERP/q-idle");
    }

    @Test
    void aSenderSelectsItsQueues() throws SQLException {
        assertThat(list(QueueListing.of(OperatorScope.EVERYTHING, "BLOCKED", "ERP", null, null))).containsExactly("ERP/q-both", "ERP/q-retrying");
    }

    @Test
    void pagesAreCutInTheDatabaseWithOneRowMoreToTellWhetherMoreFollow() throws SQLException {
        QueueListing first = QueueListing.of(OperatorScope.EVERYTHING, null, null, 2, null);
        QueueListing last = QueueListing.of(OperatorScope.EVERYTHING, null, null, 2, 4);

        assertThat(list(first)).containsExactly("CRM/q-blocked", "ERP/q-both", "ERP/q-retrying");
        assertThat(list(last)).containsExactly("ERP/q-idle");
        assertThat(first.limit()).isEqualTo(2);
        assertThat(last.offset()).isEqualTo(4);
        assertThat(QueueListing.of(OperatorScope.EVERYTHING, null, null, null, null).limit()).isEqualTo(QueueListing.DEFAULT_LIMIT);
    }

    @Test
    void outOfRangePagesAndUnknownStatesAreRefused() {
        assertThatThrownBy(() -> QueueListing.of(OperatorScope.EVERYTHING, null, null, 0, null)).isInstanceOf(ActionRefused.class);
        assertThatThrownBy(() -> QueueListing.of(OperatorScope.EVERYTHING, null, null, QueueListing.MAX_LIMIT + 1, null))
                .isInstanceOf(ActionRefused.class);
        assertThatThrownBy(() -> QueueListing.of(OperatorScope.EVERYTHING, null, null, null, -1)).isInstanceOf(ActionRefused.class);
        assertThatThrownBy(() -> QueueListing.of(OperatorScope.EVERYTHING, "STUCK", null, null, null)).isInstanceOf(ActionRefused.class);
    }

    // --- test data: a queue, its lanes, their heads

    private record Lane(String receiver, String headState, int attempts) {
    }

    private static Lane lane(String receiver, Lane head) {
        return head == null ? new Lane(receiver, null, 0) : new Lane(receiver, head.headState(), head.attempts());
    }

    private static Lane head(String state, int attempts) {
        return new Lane(null, state, attempts);
    }

    private void queue(String sender, String queueId, Lane... lanes) throws SQLException {
        String key = UUID.randomUUID().toString();
        execute("INSERT INTO COURIER_QUEUE (ID, SENDER, QUEUE_ID, LAST_SEQUENCE, POLICY) VALUES ('" + key + "', '"
                + sender + "', '" + queueId + "', 1, 'BLOCK')");
        for (Lane lane : lanes) {
            String head = null;
            if (lane.headState() != null) {
                head = UUID.randomUUID().toString();
                execute("INSERT INTO COURIER_DELIVERY (ID, MESSAGE_KEY, RECEIVER, STATE, ATTEMPTS, VERSION, PART)"
                        + " VALUES ('" + head + "', 'm', '" + lane.receiver() + "', '" + lane.headState() + "', "
                        + lane.attempts() + ", 1, '" + key + "')");
            }
            execute("INSERT INTO COURIER_LANE (ID, QUEUE_KEY, RECEIVER, HEAD_DELIVERY_ID) VALUES ('"
                    + UUID.randomUUID() + "', '" + key + "', '" + lane.receiver() + "', "
                    + (head == null ? "NULL" : "'" + head + "'") + ")");
        }
    }

    private List<String> list(QueueListing listing) throws SQLException {
        List<String> queues = new ArrayList<>();
        try (Connection connection = h2.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT q.SENDER || '/' || q.QUEUE_ID FROM ("
                     + listing.sql() + ") page JOIN COURIER_QUEUE q ON q.ID = page.ID ORDER BY page.BLOCKED_FIRST,"
                     + " q.SENDER, q.QUEUE_ID")) {
            List<Object> parameters = listing.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    queues.add(rows.getString(1));
                }
            }
        }
        return queues;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
