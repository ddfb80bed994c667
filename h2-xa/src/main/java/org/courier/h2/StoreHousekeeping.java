package org.courier.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Keeps an H2 file from growing without bound when every commit is written at once.
 *
 * <p><b>The H2 behaviour (2.2.224).</b> An MVStore appends a chunk at every commit and frees a
 * chunk only once every page in it is dead. Its background thread rewrites the live pages of
 * sparsely used chunks so that those chunks can be freed ({@code FileStore.writeInBackground}:
 * housekeeping), but H2 starts that thread only for a write delay above 0, and Courier runs H2
 * with {@code WRITE_DELAY=0} (a commit is in the file before the sender is answered). So nothing
 * ever rewrites: the file grew by ~100 KB per message and filled 75 GB at ~750 k messages in
 * Courier's soak, with the chunks' metadata in the heap and each commit's free-space search
 * getting slower.
 *
 * <p><b>The housekeeping</b>, one per database this JVM holds open (started on its first
 * connection): every {@value #PERIOD_MILLIS} ms, while the store's chunks are less than
 * {@value #TARGET_FILL_RATE} % live, it has H2 rewrite up to {@value #WRITE_LIMIT} bytes of live
 * pages of the sparsest chunks older than H2's retention time ({@link MVStore#compact(int, int)},
 * what H2's own background thread does, under the store's lock). The rewritten pages go into the
 * next commit's chunk; the old chunks, dead then, are freed by H2 after its retention time and
 * their space is reused. Durability is unchanged: commits are still written at once. It stops
 * when the database is closed.
 *
 * <p>What the file then holds: the live data, and every chunk written in the last 45 s (H2's
 * {@code RETENTION_TIME}, kept so that a write torn by a power loss leaves a file that opens);
 * in Courier's soak of 1 M messages at ~500 a second, 9-13 GB from 200 k messages on.
 */
final class StoreHousekeeping {

    private static final Logger LOG = Logger.getLogger(StoreHousekeeping.class.getName());
    /** How often it looks, as often as H2's own thread with its default write delay. */
    static final int PERIOD_MILLIS = 100;
    /** Below this share of live data in the store's chunks, it rewrites (H2's own target when busy). */
    static final int TARGET_FILL_RATE = 45;
    /**
     * At most this many bytes of live pages are rewritten per look, so that the store lock is held
     * briefly: what H2's own thread rewrites on a busy store (a quarter of its 19 MB auto-commit
     * memory). 256 KB every 200 ms did not keep up: at 500 messages a second the file still grew
     * by ~40 MB/s, its chunks 2 % live.
     */
    static final int WRITE_LIMIT = 4 * 1024 * 1024;

    private static final Set<String> STARTED = new HashSet<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "courier-h2-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    private StoreHousekeeping() {
    }

    /** Starts the housekeeping of the database of this connection unless this JVM did already. */
    static void once(String url, Connection connection) {
        synchronized (STARTED) {
            if (!STARTED.add(url)) {
                return;
            }
            try {
                MVStore store = storeOf(connection);
                if (store == null) {
                    LOG.info("H2 database " + url + " is held by another process: its housekeeping is that process's");
                    return;
                }
                start(url, store);
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.SEVERE, "H2 database " + url + " gets no housekeeping (its file will grow with every"
                        + " commit): " + e, e);
            }
        }
    }

    /** The MVStore of the database of this connection, or null if another process holds it. */
    static MVStore storeOf(Connection connection) throws SQLException {
        JdbcConnection jdbc = connection.unwrap(JdbcConnection.class);
        return jdbc.getSession() instanceof SessionLocal session ? session.getDatabase().getStore().getMvStore() : null;
    }

    private static void start(String url, MVStore store) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = TIMER.scheduleWithFixedDelay(() -> {
            if (store.isClosed()) {
                self[0].cancel(false);
                synchronized (STARTED) {
                    STARTED.remove(url); // opened again later: housekept again
                }
                return;
            }
            try {
                rewrite(store);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "H2 housekeeping of " + url + " failed this time: " + e);
            }
        }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("H2 database " + url + ": its file is compacted as it goes (every " + PERIOD_MILLIS + " ms, chunks"
                + " under " + TARGET_FILL_RATE + " % live rewritten)");
    }

    /** One look: rewrites live pages of sparse chunks if there are enough of them; whether it did. */
    static boolean rewrite(MVStore store) {
        return store.compact(TARGET_FILL_RATE, WRITE_LIMIT);
    }
}
