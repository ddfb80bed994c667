package org.courier.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Session;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings Courier's database to the schema this version needs, at deployment: the persistence
 * unit runs this customizer when it starts, before any bean that uses it, so no receipt or
 * delivery ever sees an older schema.
 *
 * <p>The schema is a series of versioned Flyway migrations ({@code db/courier/V<n>__*.sql}), the
 * same files for H2 and PostgreSQL; vendor differences are placeholders ({@code ${text}}). The
 * applied versions are recorded in {@code COURIER_SCHEMA_HISTORY}; a database created before
 * versioned migrations is baselined at version 1. Concurrent deployments against one
 * PostgreSQL database (the nodes of a cluster starting together) migrate one after the other
 * ({@link MigrationLock}).
 *
 * <p>With {@code -Dcourier.schema.migrate=false} (operators who apply migrations by command, see
 * README) nothing is changed: the deployment fails if the database lacks a migration, saying
 * which.
 */
public class SchemaMigrations implements SessionCustomizer {

    /** System property: {@code false} to validate the schema instead of migrating it. */
    public static final String MIGRATE_PROPERTY = "courier.schema.migrate";
    /** Where the migrations are, on the class path. */
    public static final String LOCATION = "classpath:db/courier";
    /** Flyway's record of applied migrations. */
    public static final String HISTORY_TABLE = "COURIER_SCHEMA_HISTORY";
    private static final String DATA_SOURCE = "java:jboss/datasources/CourierDS";
    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Override
    public void customize(Session session) throws Exception {
        DataSource dataSource = dataSourceOf(session);
        Vendor vendor = Vendor.of(dataSource);
        Flyway flyway = configure(dataSource, vendor);
        if (Boolean.parseBoolean(System.getProperty(MIGRATE_PROPERTY, "true"))) {
            MigrateResult result;
            try (MigrationLock ignored = MigrationLock.take(dataSource, vendor)) {
                result = flyway.migrate();
            }
            LOG.info(() -> "Database schema at version " + current(flyway) + " (" + result.migrationsExecuted
                    + " migration(s) applied now)");
        } else {
            flyway.validate();
            LOG.info(() -> "Database schema at version " + current(flyway) + ", as required (migrations left to operators)");
        }
    }

    /** Flyway, set up for Courier's migrations on this data source. */
    public static Flyway configure(DataSource dataSource, Vendor vendor) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .placeholders(vendor.placeholders())
                .baselineOnMigrate(true)
                .baselineVersion("1")
                .baselineDescription("schema created before versioned migrations")
                .load();
    }

    private static String current(Flyway flyway) {
        MigrationInfo current = flyway.info().current();
        return current == null ? "(none)" : current.getVersion().getVersion();
    }

    private static DataSource dataSourceOf(Session session) throws NamingException {
        if (session.getDatasourceLogin() instanceof DatasourceLogin login
                && login.getConnector() instanceof JNDIConnector connector && connector.getDataSource() != null) {
            return connector.getDataSource();
        }
        return (DataSource) new InitialContext().lookup(DATA_SOURCE);
    }

    /**
     * Only one node migrates at a time: on PostgreSQL a session-level advisory lock, held from
     * before Flyway looks at the database until it is done. Flyway's own lock covers applying
     * migrations, not creating its history table: two nodes deploying against an empty database
     * at once both created (or baselined) it, and the second failed its deployment ("Unable to
     * baseline schema history table ... as it already exists, and is empty"). H2 serves one
     * server, nothing to take. A node that dies holding the lock loses its session, and the lock.
     */
    static final class MigrationLock implements AutoCloseable {

        /** The advisory lock's key: "COURIER" in ASCII, a number no other application is likely to pick. */
        static final long KEY = 0x434F5552494552L;
        private final Connection connection;

        private MigrationLock(Connection connection) {
            this.connection = connection;
        }

        static MigrationLock take(DataSource dataSource, Vendor vendor) throws SQLException {
            if (vendor != Vendor.POSTGRESQL) {
                return new MigrationLock(null);
            }
            Connection connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, KEY);
                lock.execute();
                return new MigrationLock(connection);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }

        @Override
        public void close() throws SQLException {
            if (connection == null) {
                return;
            }
            try (connection; PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, KEY);
                unlock.execute();
            }
        }
    }

    /** The databases Courier runs on, and what their SQL differs in. */
    public enum Vendor {
        H2("CLOB"),
        POSTGRESQL("TEXT");

        private final String textType;

        Vendor(String textType) {
            this.textType = textType;
        }

        Map<String, String> placeholders() {
            return Map.of("text", textType);
        }

        /** The vendor of the database behind this data source; any other is refused. */
        public static Vendor of(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                return named(connection.getMetaData().getDatabaseProductName());
            }
        }

        static Vendor named(String productName) {
            String name = productName.toLowerCase(Locale.ROOT);
            if (name.equals("h2")) {
                return H2;
            }
            if (name.contains("postgresql")) {
                return POSTGRESQL;
            }
            throw new IllegalStateException("Courier runs on H2 or PostgreSQL, but its datasource " + DATA_SOURCE
                    + " is " + productName);
        }
    }
}
