package org.courier.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries a crash left over ({@link LeftoverCrash}: a transaction's insert of (2, 'b') and change
 * of row 1 from 'a' to 'z', in the file without an undo log), seen from transactions with every
 * H2 transaction id from 1 to {@value #IDS}: the ids are forced by holding transactions open, as
 * a busy server reuses them.
 */
class LeftoverSweeperTest {

    private static final int IDS = 12;

    @TempDir
    Path directory;

    @Test
    void plainH2ShowsALeftoverToTheTransactionThatReusesItsId() throws Exception {
        // the defect the sweep exists for: if this test fails, H2 fixed it (or the crash left nothing)
        String url = CrashedBranches.url(directory);
        LeftoverCrash.leave(url);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);

        List<String> seen = seenByEveryId(h2);

        assertThat(seen).as("what each transaction id sees").contains("1=z 2=b").contains("1=a");
    }

    @Test
    void afterTheSweepNoTransactionSeesALeftoverAndItsKeysAreFree() throws Exception {
        String url = CrashedBranches.url(directory);
        LeftoverCrash.leave(url);
        RecoverableH2DataSource recoverable = new RecoverableH2DataSource();
        recoverable.setURL(url);
        XAConnection first = recoverable.getXAConnection();
        try {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);

            assertThat(seenByEveryId(h2)).as("what each transaction id sees").containsOnly("1=a");
            try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO T VALUES (2, 'b')");
                statement.execute("INSERT INTO T VALUES (3, 'z')");
            }
            assertThat(seenByEveryId(h2)).containsOnly("1=a 2=b 3=z");
        } finally {
            first.close();
        }
    }

    @Test
    void theDriversFirstConnectionSweepsTheDatabaseToo() throws Exception {
        // CourierDS is a plain (commit-markable) data source on H2: it connects through the driver
        String url = CrashedBranches.url(directory);
        LeftoverCrash.leave(url);
        try (Connection first = new H2Driver().connect(url, new Properties())) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);

            assertThat(seenByEveryId(h2)).as("what each transaction id sees").containsOnly("1=a");
            try (Statement statement = first.createStatement()) {
                statement.execute("INSERT INTO T VALUES (2, 'b')");
            }
            assertThat(seenByEveryId(h2)).containsOnly("1=a 2=b");
        }
    }

    @Test
    void aSweptDatabaseHasNothingLeftOverWhenOpenedAgain() throws Exception {
        String url = CrashedBranches.url(directory);
        LeftoverCrash.leave(url);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        try (Connection connection = h2.getConnection()) {
            assertThat(LeftoverSweeper.sweep(connection).entries()).as("left over: 2 rows, 3 unique index entries").isEqualTo(5);
            assertThat(LeftoverSweeper.sweep(connection).entries()).as("a second sweep").isZero();
        }
        // the last connection closed the database: opened again, from the file

        assertThat(seenByEveryId(h2)).containsOnly("1=a");
        try (Connection connection = h2.getConnection()) {
            assertThat(LeftoverSweeper.sweep(connection).entries()).isZero();
        }
    }

    @Test
    void theNamesH2KeepsOfSettledCrashedBranchesAreRemoved() throws Exception {
        // H2 keeps a restored branch's name after its commit or rollback: a later crash could
        // restore an unrelated open transaction with that id as prepared, under the settled name
        String url = CrashedBranches.url(directory);
        CrashedBranches.leave(url, 3);
        RecoverableH2DataSource recoverable = new RecoverableH2DataSource();
        recoverable.setURL(url);
        XAConnection recovery = recoverable.getXAConnection();
        try {
            XAResource resource = recovery.getXAResource();
            assertThat(resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).hasSize(3);
            resource.commit(CrashedBranches.xid(1), false);
            resource.rollback(CrashedBranches.xid(2));
            resource.rollback(CrashedBranches.xid(3));
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            try (Connection connection = h2.getConnection()) {
                assertThat(LeftoverSweeper.sweep(connection).staleNames()).as("names kept of the 3 settled branches").isEqualTo(3);
                assertThat(LeftoverSweeper.sweep(connection).staleNames()).isZero();
            }
        } finally {
            recovery.close();
        }
    }

    /** Each of the transactions with ids 1..IDS: the rows it reads, "id=k" in id order. */
    private static List<String> seenByEveryId(DataSource h2) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try {
            for (int i = 0; i < IDS; i++) {
                Connection connection = h2.getConnection();
                held.add(connection);
                connection.setAutoCommit(false);
                SessionLocal session = (SessionLocal) ((JdbcConnection) connection).getSession();
                session.getTransaction();
                seen.add(rows(connection));
            }
        } finally {
            for (Connection connection : held) {
                connection.rollback();
                connection.close();
            }
        }
        return seen;
    }

    private static String rows(Connection connection) throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (PreparedStatement select = connection.prepareStatement("SELECT ID, K FROM T ORDER BY ID");
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.append(rows.length() == 0 ? "" : " ").append(result.getInt(1)).append('=').append(result.getString(2));
            }
        }
        return rows.toString();
    }
}
