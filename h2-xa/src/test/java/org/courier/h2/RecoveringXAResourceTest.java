package org.courier.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of prepared H2 branches, on a real H2 file database with branches left by a
 * halted JVM ({@link CrashedBranches}), driven the way the transaction manager's recovery does it:
 * one recovery connection, a recover scan, then commits and rollbacks.
 */
class RecoveringXAResourceTest {

    @TempDir
    Path directory;

    @Test
    void plainH2IgnoresTheRollbackOfOrphansAfterAnotherBranchWasCompleted() throws Exception {
        // the defect this module exists for: if this test fails, H2 fixed it
        String url = CrashedBranches.url(directory);
        CrashedBranches.leave(url, 3);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);

        recoverLikeTheTransactionManager(h2);

        // both orphans still prepared, their rows locked, though each rollback reported success
        assertThat(inDoubt(url)).isEqualTo(2);
    }

    @Test
    void everyOrphanIsRolledBackOnOneRecoveryConnection() throws Exception {
        String url = CrashedBranches.url(directory);
        CrashedBranches.leave(url, 3);

        recoverLikeTheTransactionManager(recoverable(url));

        assertThat(inDoubt(url)).isZero();
        assertThat(rows(url)).containsExactly(1);
        insert(url, 2);
        insert(url, 3);
    }

    @Test
    void anOrphanIsRolledBackWithoutARecoverScanOnThatConnection() throws Exception {
        String url = CrashedBranches.url(directory);
        CrashedBranches.leave(url, 2);
        XAConnection connection = recoverable(url).getXAConnection();
        try {
            connection.getXAResource().rollback(CrashedBranches.xid(2));
            connection.getXAResource().rollback(CrashedBranches.xid(1));
        } finally {
            connection.close();
        }
        assertThat(inDoubt(url)).isZero();
        assertThat(rows(url)).isEmpty();
    }

    @Test
    void aBranchH2DoesNotKnowIsReportedAsUnknown() throws Exception {
        String url = CrashedBranches.url(directory);
        CrashedBranches.leave(url, 1);
        XAConnection connection = recoverable(url).getXAConnection();
        try {
            XAResource resource = connection.getXAResource();
            Xid unknown = CrashedBranches.xid(9);
            assertThatThrownBy(() -> resource.rollback(unknown))
                    .isInstanceOfSatisfying(XAException.class, e -> assertThat(e.errorCode).isEqualTo(XAException.XAER_NOTA));
            assertThatThrownBy(() -> resource.commit(unknown, false))
                    .isInstanceOfSatisfying(XAException.class, e -> assertThat(e.errorCode).isEqualTo(XAException.XAER_NOTA));
        } finally {
            connection.close();
        }
        assertThat(inDoubt(url)).isEqualTo(1);
    }

    @Test
    void ordinaryBranchesCommitAndRollBackAsBefore() throws Exception {
        String url = CrashedBranches.url(directory);
        CrashedBranches.leave(url, 0);
        RecoverableH2DataSource data = recoverable(url);

        runBranch(data, 11, true, Outcome.COMMIT);
        runBranch(data, 12, true, Outcome.ROLLBACK);
        runBranch(data, 13, false, Outcome.ROLLBACK);
        runBranch(data, 14, false, Outcome.ONE_PHASE_COMMIT);

        assertThat(rows(url)).containsExactly(11, 14);
        assertThat(inDoubt(url)).isZero();
    }

    private enum Outcome { COMMIT, ROLLBACK, ONE_PHASE_COMMIT }

    /** One branch on one pooled-style connection that is used again afterwards. */
    private static void runBranch(XADataSource data, int row, boolean prepare, Outcome outcome) throws Exception {
        XAConnection connection = data.getXAConnection();
        try {
            XAResource resource = connection.getXAResource();
            Xid xid = CrashedBranches.xid(row);
            resource.start(xid, XAResource.TMNOFLAGS);
            try (Statement statement = connection.getConnection().createStatement()) {
                statement.execute("INSERT INTO T VALUES (" + row + ")");
            }
            resource.end(xid, XAResource.TMSUCCESS);
            if (prepare) {
                resource.prepare(xid);
            }
            switch (outcome) {
                case COMMIT -> resource.commit(xid, false);
                case ONE_PHASE_COMMIT -> resource.commit(xid, true);
                case ROLLBACK -> resource.rollback(xid);
            }
            // the connection goes on with the next branch, as a pooled one does
            Xid next = CrashedBranches.xid(row + 100);
            resource.start(next, XAResource.TMNOFLAGS);
            resource.end(next, XAResource.TMSUCCESS);
            resource.commit(next, true);
        } finally {
            connection.close();
        }
    }

    /** Narayana's order: recover, commit the branch with a log (row 1), roll back the orphans. */
    private static void recoverLikeTheTransactionManager(XADataSource data) throws Exception {
        XAConnection connection = data.getXAConnection();
        try {
            XAResource resource = connection.getXAResource();
            Xid[] found = resource.recover(XAResource.TMSTARTRSCAN);
            resource.recover(XAResource.TMENDRSCAN);
            assertThat(found).hasSize(3);
            resource.commit(CrashedBranches.xid(1), false);
            resource.rollback(CrashedBranches.xid(2));
            resource.rollback(CrashedBranches.xid(3));
        } finally {
            connection.close();
        }
    }

    private static RecoverableH2DataSource recoverable(String url) {
        RecoverableH2DataSource data = new RecoverableH2DataSource();
        data.setURL(url);
        return data;
    }

    private static int inDoubt(String url) throws SQLException {
        try (Connection connection = plain(url).getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.IN_DOUBT")) {
            result.next();
            return result.getInt(1);
        }
    }

    private static List<Integer> rows(String url) throws SQLException {
        List<Integer> rows = new ArrayList<>();
        try (Connection connection = plain(url).getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT ID FROM T ORDER BY ID")) {
            while (result.next()) {
                rows.add(result.getInt(1));
            }
        }
        return rows;
    }

    /** Fails with a lock timeout while a branch still holds the row. */
    private static void insert(String url, int row) throws SQLException {
        try (Connection connection = plain(url).getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO T VALUES (" + row + ")");
        }
    }

    private static JdbcDataSource plain(String url) {
        JdbcDataSource data = new JdbcDataSource();
        data.setURL(url);
        return data;
    }
}
