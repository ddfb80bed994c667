package org.courier.h2;

import java.sql.Connection;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;

/**
 * Leaves an H2 file database the way ChaosCrashIT's kill left one: the writes of a transaction
 * in the file, its undo log gone. A separate JVM commits row (1, 'a') of table
 * {@code T (ID INT PRIMARY KEY, K VARCHAR UNIQUE)}, then in one transaction inserts (2, 'b') and
 * changes row 1 to 'z', stores the database with that transaction's undo log emptied (the state
 * a kill can leave: H2 stores each map's root on its own) and halts.
 */
final class LeftoverCrash {

    private LeftoverCrash() {
    }

    /** Runs {@link #main} in a new JVM and waits for it. */
    static void leave(String url) throws Exception {
        HaltedJvm.run(LeftoverCrash.class, "leaving the leftovers", url);
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource data = new JdbcDataSource();
        data.setURL(args[0]);
        try (Connection setup = data.getConnection(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE T (ID INT PRIMARY KEY, K VARCHAR(10) UNIQUE)");
            statement.execute("INSERT INTO T VALUES (1, 'a')");
        }
        Connection cut = data.getConnection();
        cut.setAutoCommit(false);
        try (Statement statement = cut.createStatement()) {
            statement.execute("INSERT INTO T VALUES (2, 'b')");
            statement.execute("UPDATE T SET K = 'z' WHERE ID = 1");
        }
        SessionLocal session = (SessionLocal) ((JdbcConnection) cut).getSession();
        Store store = session.getDatabase().getStore();
        MVStore mv = store.getMvStore();
        mv.openMap("undoLog." + session.getTransaction().getId()).clear();
        mv.commit();
        Runtime.getRuntime().halt(0);
    }
}
