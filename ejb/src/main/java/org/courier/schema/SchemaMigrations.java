package org.courier.schema;

import java.sql.Connection;
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
 * PostgreSQL database are serialised by Flyway's lock.
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
        Flyway flyway = configure(dataSource, Vendor.of(dataSource));
        if (Boolean.parseBoolean(System.getProperty(MIGRATE_PROPERTY, "true"))) {
            MigrateResult result = flyway.migrate();
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
