package org.courier.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.courier.schema.SchemaMigrations.Vendor;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Courier's migrations on a real (in-memory) H2 database. */
class SchemaMigrationsTest {

    private final JdbcDataSource h2 = new JdbcDataSource();

    SchemaMigrationsTest() {
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Test
    void anEmptyDatabaseGetsEveryMigration() throws Exception {
        Flyway flyway = SchemaMigrations.configure(h2, Vendor.H2);

        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(14);

        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("14");
        assertThat(indexExists("IX_COURIER_LANE_HEAD")).isTrue();
        assertThat(indexExists("IX_COURIER_MESSAGE_SENDER_ACCEPTED")).isTrue();
        assertThat(count("SELECT COUNT(*) FROM COURIER_AUDIT")).isZero();
        assertThat(count("SELECT COUNT(*) FROM xids")).as("the commit-markable resource's table").isZero();
        assertThat(count("SELECT COUNT(*) FROM COURIER_RECEIVER_HEALTH")).as("every receiver UP").isZero();
        assertThat(count("SELECT COUNT(*) FROM COURIER_NODE")).as("no node's heartbeat yet").isZero();
        assertThat(count("SELECT COUNT(*) FROM COURIER_SCHEDULE WHERE NEXT_RUN_AT < LOCALTIMESTAMP")).as("every schedule due").isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM COURIER_ROLLUP WHERE COVERED_TO IS NULL")).as("no minute counted yet").isEqualTo(1);
        assertThat(indexExists("IX_COURIER_DELIVERY_DELIVERED")).isTrue();
        assertThat(count("SELECT COUNT(*) FROM COURIER_DELIVERY WHERE DISPATCHED_BY IS NULL")).isZero();
        execute("INSERT INTO COURIER_MESSAGE (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS, PAYLOAD_HASH, PAYLOAD,"
                + " ACCEPTED_AT) VALUES ('k', 'ERP', 'm-1', 'Orders', 'ExactlyOnce', 'h', '<order/>', CURRENT_TIMESTAMP)");
        assertThatThrownBy(() -> execute("INSERT INTO COURIER_MESSAGE (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS,"
                + " PAYLOAD_HASH, PAYLOAD, ACCEPTED_AT) VALUES ('k2', 'ERP', 'm-1', 'Orders', 'ExactlyOnce', 'h',"
                + " '<order/>', CURRENT_TIMESTAMP)"))
                .as("the idempotency key").isInstanceOf(SQLException.class);
    }

    @Test
    void migratingAgainChangesNothing() {
        Flyway flyway = SchemaMigrations.configure(h2, Vendor.H2);
        flyway.migrate();

        assertThat(flyway.migrate().migrationsExecuted).isZero();
        flyway.validate();
    }

    @Test
    void aDatabaseCreatedBeforeVersionedMigrationsIsBaselinedAtVersionOne() throws Exception {
        // what the 0.1 idempotent script left: the tables, no history
        execute("CREATE TABLE COURIER_MESSAGE (ID VARCHAR(36) PRIMARY KEY, SENDER VARCHAR(60), ACCEPTED_AT TIMESTAMP)");
        execute("CREATE TABLE COURIER_LANE (ID VARCHAR(36) PRIMARY KEY, HEAD_DELIVERY_ID VARCHAR(36))");
        execute("CREATE TABLE COURIER_DELIVERY (ID VARCHAR(36) PRIMARY KEY, MESSAGE_KEY VARCHAR(36), RECEIVER VARCHAR(60),"
                + " STATE VARCHAR(16), DELIVERED_AT TIMESTAMP, CONSTRAINT UK_COURIER_DELIVERY_RECEIVER UNIQUE (MESSAGE_KEY, RECEIVER))");
        execute("INSERT INTO COURIER_MESSAGE VALUES ('k', 'ERP', CURRENT_TIMESTAMP)");
        Flyway flyway = SchemaMigrations.configure(h2, Vendor.H2);

        assertThat(flyway.migrate().migrationsExecuted).as("V2 and later").isEqualTo(13);

        assertThat(indexExists("IX_COURIER_LANE_HEAD")).isTrue();
        assertThat(count("SELECT COUNT(*) FROM COURIER_MESSAGE")).isEqualTo(1);
    }

    @Test
    void auditRowsWrittenBeforeSubjectsStayReadableWithoutOne() throws Exception {
        Flyway upToV6 = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .configuration(SchemaMigrations.configure(h2, Vendor.H2).getConfiguration()).target("6").load();
        upToV6.migrate();
        execute("INSERT INTO COURIER_AUDIT (ID, ACTED_AT, ACTOR, ACTION, PARAMETERS, STATUS) VALUES ('a', CURRENT_TIMESTAMP,"
                + " 'admin', 'POST /api/delivery/cancel', 'sender=ERP', 200)");

        assertThat(SchemaMigrations.configure(h2, Vendor.H2).migrate().migrationsExecuted).as("V7 to V14").isEqualTo(8);

        assertThat(count("SELECT COUNT(*) FROM COURIER_AUDIT WHERE ID = 'a' AND ACTOR = 'admin' AND SENDER IS NULL"
                + " AND INTERFACE_NAME IS NULL")).isEqualTo(1);
        assertThat(indexExists("IX_COURIER_AUDIT_SENDER")).isTrue();
    }

    @Test
    void vendorsAreRecognisedByProductName() {
        assertThat(Vendor.named("H2")).isEqualTo(Vendor.H2);
        assertThat(Vendor.named("PostgreSQL")).isEqualTo(Vendor.POSTGRESQL);
        assertThatThrownBy(() -> Vendor.named("Oracle"))
                .hasMessageContaining("H2 or PostgreSQL").hasMessageContaining("Oracle");
    }

    private boolean indexExists(String name) throws SQLException {
        return count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = '" + name + "'") == 1;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
