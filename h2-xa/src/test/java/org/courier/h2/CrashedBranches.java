package org.courier.h2;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Leaves prepared branches in an H2 file database the way a crash does: a separate JVM inserts
 * one row per branch into table {@code T}, prepares the branches and halts (no shutdown hook, no
 * close; H2 rolls a prepared branch back on an orderly close).
 */
final class CrashedBranches {

    private CrashedBranches() {
    }

    /** Runs {@link #main} in a new JVM and waits for it; the branches' xids are {@link #xid(int)}. */
    static void leave(String url, int branches) throws Exception {
        HaltedJvm.run(CrashedBranches.class, "preparing the branches", url, String.valueOf(branches));
    }

    /** The branch of row {@code row}; the same on both sides of the simulated crash. */
    static Xid xid(int row) {
        return new TestXid(4711, new byte[] {'g', (byte) row}, new byte[] {'b', (byte) row});
    }

    static String url(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("db").toAbsolutePath() + ";LOCK_TIMEOUT=1000";
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource data = new JdbcDataSource();
        data.setURL(args[0]);
        try (Connection connection = data.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS T (ID INT PRIMARY KEY)");
        }
        List<XAConnection> open = new ArrayList<>();
        for (int row = 1; row <= Integer.parseInt(args[1]); row++) {
            XAConnection branch = data.getXAConnection();
            open.add(branch);
            XAResource resource = branch.getXAResource();
            Xid xid = xid(row);
            resource.start(xid, XAResource.TMNOFLAGS);
            try (Statement statement = branch.getConnection().createStatement()) {
                statement.execute("INSERT INTO T VALUES (" + row + ")");
            }
            resource.end(xid, XAResource.TMSUCCESS);
            resource.prepare(xid);
        }
        Runtime.getRuntime().halt(0);
    }

    record TestXid(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier) implements Xid {
    }
}
