package org.courier.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;
import org.h2.mvstore.tx.Transaction;
import org.h2.table.Table;
import org.h2.value.VersionedValue;

/**
 * Takes the leftovers of transactions a crash cut off out of an H2 file database before any
 * transaction can see them.
 *
 * <p><b>The H2 defect (2.2.224).</b> A kill can leave table and index entries in the file that
 * still carry the operation id of a transaction that was writing, with no undo log behind them:
 * no transaction owns them, none rolls them back. H2 gives out transaction ids from the lowest
 * free one, and a transaction whose id equals a leftover's owner takes the entry for its own
 * uncommitted write: it reads a row no transaction ever committed, and its insert of the same key
 * fails as a duplicate at once; every other transaction does not see the row, and its insert of
 * that key waits for the lock timeout. Courier's ChaosCrashIT met it: a message id's receipt,
 * cut off by a kill, was answered DUPLICATE to a transaction that got the leftover's id (the
 * message acknowledged and lost), and refused to every other. H2 also keeps a restored prepared
 * transaction's entry in its {@code openTransactions} map after the transaction ended, so that a
 * later crash can restore an unrelated transaction under that old, settled name.
 *
 * <p><b>The sweep</b>, once per database in this JVM, on the first connection and before it is
 * handed out (so before the transaction manager's recovery or any request begins a transaction):
 * every table and index entry whose owner is not an open transaction (restored prepared
 * branches are open, and kept) gets back its committed value, or is removed if it has none -
 * what H2's own writer does when it meets a leftover; and every {@code openTransactions} entry
 * without an open transaction is removed. Each entry taken out is logged as a warning, with its
 * table or index. It reads every entry of the database once; the time it took is logged.
 *
 * <p>It sweeps only a database this JVM holds open (embedded, not through another process's
 * {@code AUTO_SERVER}) and only while no session has a transaction open on it (the restored
 * prepared branches aside); otherwise it says why, once, and leaves the database as it is.
 */
final class LeftoverSweeper {

    private static final Logger LOG = Logger.getLogger(LeftoverSweeper.class.getName());
    /** H2 keeps the transaction id in the top bits of an operation id, above 40 bits of log id. */
    private static final int LOG_ID_BITS = 40;
    private static final Set<String> SWEPT = new HashSet<>();

    /** What a sweep took out of a database. */
    record Swept(int entries, int staleNames, long millis) {
    }

    private LeftoverSweeper() {
    }

    /** Sweeps the database of {@code url} unless this JVM did already; {@code open} gives a connection to it. */
    static void once(String url, ConnectionSource open) {
        synchronized (SWEPT) {
            if (SWEPT.contains(url)) {
                return;
            }
            SWEPT.add(url);
            try (Connection connection = open.connect()) {
                Swept swept = sweep(connection);
                if (swept != null) {
                    String text = String.format("H2 database %s checked for entries left over by a crash in %d ms: %d taken out,"
                            + " %d stale transaction names removed", url, swept.millis(), swept.entries(), swept.staleNames());
                    LOG.log(swept.entries() + swept.staleNames() > 0 ? Level.WARNING : Level.INFO, text);
                }
            } catch (SQLException | RuntimeException e) {
                // the database as before: H2's own behaviour, with the defect the sweep is for
                LOG.log(Level.SEVERE, "H2 database " + url + " could not be checked for entries left over by a crash"
                        + " (a message id cut off by a crash may be refused or answered as a duplicate): " + e, e);
            }
        }
    }

    /**
     * Sweeps the database of this connection (see the class comment); null if it cannot be swept
     * here (another process holds it, or other sessions are working on it), which is logged.
     */
    static Swept sweep(Connection connection) throws SQLException {
        JdbcConnection jdbc = connection.unwrap(JdbcConnection.class);
        if (!(jdbc.getSession() instanceof SessionLocal session)) {
            LOG.info("H2 database not checked for entries left over by a crash: another process holds it open");
            return null;
        }
        long start = System.nanoTime();
        Store store = session.getDatabase().getStore();
        MVStore mv = store.getMvStore();
        Set<Integer> open = new HashSet<>();
        for (Transaction transaction : store.getTransactionStore().getOpenTransactions()) {
            if (transaction.getStatus() != Transaction.STATUS_PREPARED) {
                LOG.info("H2 database not checked for entries left over by a crash: other sessions are already working on it");
                return null;
            }
            open.add(transaction.getId());
        }
        Map<String, String> names = objectNames(session);
        int entries = 0;
        for (String map : new TreeSet<>(mv.getMapNames())) {
            if (map.startsWith("table.") || map.startsWith("index.")) {
                entries += sweepMap(mv, map, names.getOrDefault(map, map), open);
            }
        }
        int staleNames = 0;
        MVMap<Object, Object> openTransactions = mv.openMap("openTransactions");
        for (Object id : new ArrayList<>(openTransactions.keySet())) {
            if (id instanceof Integer transactionId && !open.contains(transactionId)) {
                LOG.warning("H2 kept the name of transaction " + transactionId + " after it ended ("
                        + describe(openTransactions.get(id)) + "): removed");
                openTransactions.remove(id);
                staleNames++;
            }
        }
        if (entries + staleNames > 0) {
            mv.commit();
        }
        return new Swept(entries, staleNames, (System.nanoTime() - start) / 1_000_000);
    }

    private static int sweepMap(MVStore mv, String name, String object, Set<Integer> open) {
        MVMap<Object, Object> map;
        try {
            map = mv.openMap(name);
        } catch (RuntimeException unreadable) {
            LOG.log(Level.FINE, "H2 map " + name + " not checked: " + unreadable);
            return 0;
        }
        List<Object> keys = new ArrayList<>();
        List<VersionedValue<?>> values = new ArrayList<>();
        for (Cursor<Object, Object> cursor = map.cursor(null); cursor.hasNext(); ) {
            Object key = cursor.next();
            if (cursor.getValue() instanceof VersionedValue<?> value && value.getOperationId() != 0
                    && !open.contains((int) (value.getOperationId() >>> LOG_ID_BITS))) {
                keys.add(key);
                values.add(value);
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            VersionedValue<?> leftover = values.get(i);
            Object committed = leftover.getCommittedValue();
            String what = committed == null ? "removed (written by a transaction a crash cut off)"
                    : leftover.getCurrentValue() == null ? "restored (deleted by a transaction a crash cut off)"
                    : "restored to its committed value (changed by a transaction a crash cut off)";
            LOG.warning("H2 entry left over in " + object + " " + what + ", transaction " + (leftover.getOperationId() >>> LOG_ID_BITS)
                    + ": " + (leftover.getCurrentValue() == null || name.startsWith("index.") ? keys.get(i) : leftover.getCurrentValue())
                    + (committed != null && name.startsWith("table.") ? ", committed " + committed : ""));
            if (committed == null) {
                map.remove(keys.get(i));
            } else {
                map.put(keys.get(i), committed);
            }
        }
        return keys.size();
    }

    /** "table.N" and "index.N" (H2's map names) to "table T" and "index I of table T". */
    private static Map<String, String> objectNames(SessionLocal session) {
        Map<String, String> names = new HashMap<>();
        for (Table table : session.getDatabase().getAllTablesAndViews()) {
            names.put("table." + table.getId(), "table " + table.getName());
            if (table.getIndexes() != null) {
                for (Index index : table.getIndexes()) {
                    names.put("index." + index.getId(), "index " + index.getName() + " of table " + table.getName());
                }
            }
        }
        return names;
    }

    private static String describe(Object entry) {
        return entry instanceof Object[] fields ? Arrays.toString(fields) : String.valueOf(entry);
    }

    /** A connection to the database to sweep. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection connect() throws SQLException;
    }
}
