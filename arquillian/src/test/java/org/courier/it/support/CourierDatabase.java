package org.courier.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A JDBC look into the database of the running Courier server, for tests that check what was
 * stored: H2 (the default) or PostgreSQL (the {@code postgresql} build profile), named by the
 * system properties {@value #URL_PROPERTY}, {@value #USER_PROPERTY} and
 * {@value #PASSWORD_PROPERTY}. The server opens its H2 file database with
 * {@code AUTO_SERVER=TRUE}, so this JVM connects to it with the same URL.
 *
 * <p>Each call opens its own connection and closes it. A count names what it counts: a table or
 * database that is not there fails the test, so that a misspelt table or a wrong URL cannot pass
 * every "nothing stored" check with a 0 (Courier's migrations create the tables when it is
 * deployed, before any test runs). For H2,
 * {@code IFEXISTS=TRUE} is added to the URL so that this class never creates the server's
 * database itself, and {@code DB_CLOSE_ON_EXIT} is dropped from an {@code AUTO_SERVER=TRUE} URL,
 * since H2 2.2 refuses that combination and the setting means nothing to a client.
 */
public final class CourierDatabase {

    /** The system property holding the JDBC URL of the server's database. */
    public static final String URL_PROPERTY = "courier.test.db.url";
    public static final String USER_PROPERTY = "courier.test.db.user";
    public static final String PASSWORD_PROPERTY = "courier.test.db.password";

    /** H2's "table or view not found" error codes (plain, with candidates, database empty). */
    private static final Set<Integer> TABLE_NOT_FOUND_CODES = Set.of(42102, 42103, 42104);
    private static final Set<String> TABLE_NOT_FOUND_STATES = Set.of("42S02", "42S03", "42S04", "42P01");
    /** PostgreSQL's "database does not exist". */
    private static final String NO_SUCH_DATABASE = "3D000";
    /** H2's "database not found, and IFEXISTS=true". */
    private static final int DATABASE_NOT_FOUND = 90146;
    private static final Pattern AUTO_SERVER = Pattern.compile("(?i);AUTO_SERVER=TRUE(;|$)");
    private static final Pattern DB_CLOSE_ON_EXIT = Pattern.compile("(?i);DB_CLOSE_ON_EXIT=[^;]*");
    private static final Pattern IF_EXISTS = Pattern.compile("(?i);IFEXISTS=");

    private final String url;
    private final String user;
    private final String password;

    /** A look into the database at this URL, as user {@code sa} with password {@code sa}. */
    public CourierDatabase(String url) {
        this(url, "sa", "sa");
    }

    /** A look into the database at this URL with these credentials. */
    public CourierDatabase(String url, String user, String password) {
        this.url = clientUrl(url);
        this.user = user;
        this.password = password;
    }

    /** A look into the database named by system property {@value #URL_PROPERTY}. */
    public static CourierDatabase fromSystemProperty() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("system property " + URL_PROPERTY + " is not set");
        }
        return new CourierDatabase(url, System.getProperty(USER_PROPERTY, "sa"), System.getProperty(PASSWORD_PROPERTY, "sa"));
    }

    /** Whether the server's database is H2 (else PostgreSQL). */
    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** The JDBC URL used. */
    public String url() {
        return url;
    }

    /**
     * Runs a {@code select count(*)} query with positional parameters and returns its single
     * value; a table or database the query cannot find is an error, not 0.
     */
    public long count(String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement statement = prepare(connection, sql, params);
             ResultSet result = statement.executeQuery()) {
            return result.next() ? result.getLong(1) : 0;
        } catch (SQLException e) {
            if (isMissingTableOrDatabase(e)) {
                throw new IllegalStateException("no such table or database (" + url + "): " + sql
                        + " counts nothing that exists, so it cannot say that nothing is stored", e);
            }
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /**
     * Locks the rows this {@code select ... for update} finds, in a transaction of this JVM's own,
     * until the returned lock is closed (its transaction then rolls back): a server transaction
     * that wants one of them waits (up to the server's 10 s lock timeout). For tests that must
     * catch the server in the middle of a piece of work. At least one row must be found.
     */
    public RowLocks lockRows(String sql, Object... params) {
        try {
            Connection connection = DriverManager.getConnection(url, user, password);
            try {
                connection.setAutoCommit(false);
                int rows = 0;
                try (PreparedStatement statement = prepare(connection, sql, params);
                     ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows++;
                    }
                }
                if (rows == 0) {
                    throw new IllegalStateException("no row to lock: " + sql);
                }
                return new RowLocks(connection, rows);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock: " + sql, e);
        }
    }

    /** Rows held locked by {@link #lockRows}; closing rolls their transaction back. */
    public static final class RowLocks implements AutoCloseable {

        private final Connection connection;
        private final int rows;

        private RowLocks(Connection connection, int rows) {
            this.connection = connection;
            this.rows = rows;
        }

        /** How many rows are held. */
        public int rows() {
            return rows;
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException("could not release the row locks", e);
            }
        }
    }

    /** Runs a query with positional parameters; every row, each as its column values in order. */
    public List<List<Object>> rows(String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement statement = prepare(connection, sql, params);
             ResultSet result = statement.executeQuery()) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int c = 1; c <= columns; c++) {
                    row.add(result.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** Runs one data-changing statement (auto-commit) with positional parameters; the rows it changed. */
    public int update(String sql, Object... params) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }

    /**
     * A run of {@code job} as JBeret's JDBC job repository (PostgreSQL, schema courier_batch) keeps
     * one that node {@code node} started in an earlier life and never ended, because it was killed:
     * STARTED, with the node and an incarnation no running node has. Its execution id.
     */
    public long runLeftStartedBy(String node, String job) {
        long instance = (Long) rows("insert into courier_batch.JOB_INSTANCE (VERSION, JOBNAME, APPLICATIONNAME)"
                + " values (0, ?, 'courier') returning JOBINSTANCEID", job).get(0).get(0);
        return (Long) rows("insert into courier_batch.JOB_EXECUTION (JOBINSTANCEID, VERSION, CREATETIME, STARTTIME,"
                + " LASTUPDATEDTIME, BATCHSTATUS, JOBPARAMETERS) values (?, 0, now(), now(), now(), 'STARTED', ?)"
                + " returning JOBEXECUTIONID", instance, "courier.node = " + node + "\ncourier.incarnation = before-the-kill\n")
                .get(0).get(0);
    }

    /** Whether run {@code executionId} of the job repository ended as FAILED with an exit status that starts with {@code why}. */
    public boolean runFailed(long executionId, String why) {
        return count("select count(*) from courier_batch.JOB_EXECUTION where JOBEXECUTIONID = ? and BATCHSTATUS = 'FAILED'"
                + " and EXITSTATUS like ?", executionId, why + "%") == 1;
    }

    /**
     * Transactions the database has not seen settled: prepared XA branches it holds in doubt (H2's
     * IN_DOUBT, PostgreSQL's pg_prepared_xacts) and the ids the transaction manager wrote for a
     * commit-markable CourierDS (table XIDS) that its recovery scan has not yet cleaned up: a
     * finished transaction's row goes within a scan or two, a row that stays is a transaction
     * recovery could not finish.
     */
    public long inDoubtCount() {
        return preparedCount() + count("select count(*) from xids");
    }

    /**
     * Prepared branches the database holds (H2's IN_DOUBT, PostgreSQL's pg_prepared_xacts): each
     * keeps its row locks until the transaction manager's recovery commits or rolls it back.
     */
    public long preparedCount() {
        return count(isH2() ? "select count(*) from INFORMATION_SCHEMA.IN_DOUBT"
                : "select count(*) from pg_prepared_xacts where database = current_database()");
    }

    /**
     * The rows of XIDS: ids of transactions the database committed as a commit-markable resource
     * whose entry in the transaction log the recovery scan has not retired (yet). One that stays
     * while no resource holds a prepared branch is a transaction finished everywhere whose log
     * entry the transaction manager cannot retire (ARJUNA016037: docs/database.md).
     */
    public long xidsCount() {
        return count("select count(*) from xids");
    }

    /** The transactions of {@link #inDoubtCount()} (name and state or time each), for a failure message. */
    public List<String> inDoubtTransactions() {
        return transactions(true);
    }

    /** The prepared branches of {@link #preparedCount()} (name and state or time each), for a failure message. */
    public List<String> preparedTransactions() {
        return transactions(false);
    }

    private List<String> transactions(boolean withXids) {
        List<String> found = new ArrayList<>();
        String prepared = isH2() ? "select TRANSACTION_NAME, TRANSACTION_STATE from INFORMATION_SCHEMA.IN_DOUBT"
                : "select gid, prepared from pg_prepared_xacts where database = current_database()";
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            try (PreparedStatement statement = connection.prepareStatement(prepared);
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    found.add(result.getString(1) + " " + result.getString(2));
                }
            }
            if (!withXids) {
                return found;
            }
            try (PreparedStatement statement = connection.prepareStatement("select xid, transactionManagerID from xids");
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    found.add("xids row " + HexFormat.of().formatHex(result.getBytes(1)) + " of " + result.getString(2));
                }
            }
            return found;
        } catch (SQLException e) {
            return List.of("(could not read the transactions in doubt: " + e.getMessage() + ")");
        }
    }

    /**
     * {@link #inDoubtTransactions()} for a failure message that stays readable: how many, and the
     * first few (a commit-markable CourierDS keeps the ids of finished transactions until the
     * recovery scan removes them, thousands after a load).
     */
    public String inDoubtSummary() {
        List<String> all = inDoubtTransactions();
        int shown = Math.min(all.size(), 5);
        return all.size() + (all.isEmpty() ? "" : " " + all.subList(0, shown)
                + (all.size() > shown ? " and " + (all.size() - shown) + " more" : ""));
    }

    /**
     * The transactions that stay in doubt: those read now that are still there when
     * {@code patience} has passed or as soon as every one of them has ended. A transaction caught
     * between its prepare and its commit is prepared for a moment and then gone, so one reading
     * alone can count a healthy transaction in flight (a resend run, a late duplicate being
     * dropped); a transaction truly left in doubt is still there after the patience.
     */
    public List<String> inDoubtTransactionsThatStay(Duration patience) {
        return thatStay(this::inDoubtTransactions, patience);
    }

    /** The prepared branches that stay, read as {@link #inDoubtTransactionsThatStay(Duration)} reads all. */
    public List<String> preparedTransactionsThatStay(Duration patience) {
        return thatStay(this::preparedTransactions, patience);
    }

    private static List<String> thatStay(Supplier<List<String>> reading, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> stay = reading.get();
        while (!stay.isEmpty() && System.nanoTime() < deadline) {
            pauseBetweenReadings();
            List<String> now = reading.get();
            stay = stay.stream().filter(now::contains).toList();
        }
        return stay;
    }

    private static void pauseBetweenReadings() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The deliveries not DELIVERED, by receiver and state, each group on one line: how many, the
     * most attempts and resends, the earliest resend due and one last error. For a failure
     * message that must say where the work stands; a failure to read is reported, not thrown.
     */
    public String undeliveredSummary() {
        String sql = "select RECEIVER, STATE, count(*), max(ATTEMPTS), max(RESENDS), min(NEXT_RESEND_AT), max(LAST_ERROR)"
                + " from COURIER_DELIVERY where STATE <> 'DELIVERED' group by RECEIVER, STATE order by 3 desc";
        List<String> groups = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet result = statement.executeQuery()) {
            while (result.next() && groups.size() < 12) {
                String error = result.getString(7);
                groups.add(result.getString(1) + " " + result.getString(2) + " x" + result.getLong(3)
                        + " (attempts<=" + result.getInt(4) + ", resends<=" + result.getInt(5) + ", next resend "
                        + result.getTimestamp(6) + (error == null ? "" : ", e.g. " + error.substring(0, Math.min(error.length(), 160))) + ")");
            }
            return groups.isEmpty() ? "none" : String.join("; ", groups);
        } catch (SQLException e) {
            return "(could not read the deliveries: " + e.getMessage() + ")";
        }
    }

    /** Rows in COURIER_MESSAGE of this sender. */
    public long messages(String sender) {
        return count("select count(*) from COURIER_MESSAGE where SENDER = ?", sender);
    }

    /** Rows in COURIER_MESSAGE of this sender and message id (0 or 1). */
    public long messages(String sender, String messageId) {
        return count("select count(*) from COURIER_MESSAGE where SENDER = ? and MESSAGE_ID = ?",
                sender, messageId);
    }

    /** Rows in COURIER_DELIVERY of the message with this sender and message id (one per receiver). */
    public long deliveries(String sender, String messageId) {
        return count("select count(*) from COURIER_DELIVERY d join COURIER_MESSAGE m on d.MESSAGE_KEY = m.ID"
                + " where m.SENDER = ? and m.MESSAGE_ID = ?", sender, messageId);
    }

    /** All rows in COURIER_MESSAGE. */
    public long messagesTotal() {
        return count("select count(*) from COURIER_MESSAGE");
    }

    /** All rows in COURIER_DELIVERY. */
    public long deliveriesTotal() {
        return count("select count(*) from COURIER_DELIVERY");
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static boolean isMissingTableOrDatabase(SQLException e) {
        return TABLE_NOT_FOUND_CODES.contains(e.getErrorCode())
                || TABLE_NOT_FOUND_STATES.contains(e.getSQLState())
                || e.getErrorCode() == DATABASE_NOT_FOUND || NO_SUCH_DATABASE.equals(e.getSQLState());
    }

    /** The server's URL as a client should use it: see the class comment. */
    static String clientUrl(String serverUrl) {
        if (!serverUrl.startsWith("jdbc:h2:")) {
            return serverUrl;
        }
        String url = serverUrl;
        if (AUTO_SERVER.matcher(url).find()) {
            url = DB_CLOSE_ON_EXIT.matcher(url).replaceAll("");
        }
        return IF_EXISTS.matcher(url).find() ? url : url + ";IFEXISTS=TRUE";
    }

    /** Deliveries of the sender's messages that are DELIVERED. */
    public long delivered(String sender) {
        return count("select count(*) from COURIER_DELIVERY d join COURIER_MESSAGE m on d.MESSAGE_KEY = m.ID"
                + " where m.SENDER = ? and d.STATE = 'DELIVERED'", sender);
    }
}
