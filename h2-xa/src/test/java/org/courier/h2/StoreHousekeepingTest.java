package org.courier.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Random;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 with every commit written at once ({@code WRITE_DELAY=0}) keeps chunks that hold a few live
 * pages for ever, so its file grows with every commit; the housekeeping ({@link StoreHousekeeping})
 * rewrites those pages and the file stays bounded. Both runs do the same 12 000 small
 * transactions (a row appended to a growing table and one of 200 rows changed, as a receipt and a
 * settlement do); H2's retention time is 0 in both so that freed chunks are reused at once and
 * the difference is the rewriting alone.
 */
class StoreHousekeepingTest {

    private static final int ROWS = 200;
    private static final int TRANSACTIONS = 12_000;

    @TempDir
    Path directory;

    @Test
    void withoutHousekeepingTheFileGrowsWithEveryCommitWithItItStaysBounded() throws Exception {
        Load plain = load("plain", false);
        Load housekept = load("housekept", true);

        // measured: plain 35.5 MB with its chunks 16 % live, housekept 12.0 MB and 45 %
        assertThat(plain.liveInChunks()).as("plain H2: live share of its chunks (%%)").isLessThan(25);
        assertThat(housekept.liveInChunks()).as("housekept: live share of its chunks (%%)").isGreaterThanOrEqualTo(40);
        assertThat(plain.fileBytes()).as("plain H2's file after %d commits (bytes), against the housekept one's %d",
                TRANSACTIONS, housekept.fileBytes()).isGreaterThan(2 * housekept.fileBytes());
    }

    @Test
    void theDriversFirstConnectionStartsTheHousekeeping() throws Exception {
        String url = url("driver");
        try (Connection connection = new H2Driver().connect(url, new Properties())) {
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("courier-h2-housekeeping");
            assertThat(StoreHousekeeping.storeOf(connection)).isNotNull();
        }
    }

    /** A file after the load: its size, and the share of its chunks' bytes that is live data. */
    private record Load(long fileBytes, int liveInChunks) {
    }

    private Load load(String name, boolean housekeeping) throws Exception {
        String url = url(name) + ";RETENTION_TIME=0";
        try (Connection connection = new org.h2.Driver().connect(url, new Properties())) {
            MVStore store = StoreHousekeeping.storeOf(connection);
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("create table message(id bigint primary key, payload varchar(1000))");
                ddl.execute("create table delivery(id int primary key, state varchar(20), note varchar(200))");
                ddl.execute("insert into delivery select x, 'PENDING', repeat('n', 150) from system_range(1, " + ROWS + ")");
            }
            Random random = new Random(7);
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("insert into message values (?, ?)");
                 PreparedStatement update = connection.prepareStatement("update delivery set state = ?, note = ? where id = ?")) {
                for (int t = 1; t <= TRANSACTIONS; t++) {
                    // as a receipt and a settlement: a new row at the end of a growing table, a change to a hot one
                    insert.setLong(1, t);
                    insert.setString(2, "<order n=\"" + t + "\">" + "x".repeat(400) + "</order>");
                    insert.executeUpdate();
                    update.setString(1, t % 2 == 0 ? "DELIVERED" : "PENDING");
                    update.setString(2, "attempt " + t);
                    update.setInt(3, 1 + random.nextInt(ROWS));
                    update.executeUpdate();
                    connection.commit(); // one commit, one chunk
                    if (housekeeping && t % 50 == 0) {
                        StoreHousekeeping.rewrite(store); // what its timer does, here at a fixed pace
                    }
                }
            }
            return new Load(Files.size(directory.resolve(name + ".mv.db")), store.getFileStore().getChunksFillRate());
        }
    }

    private String url(String name) {
        return "jdbc:h2:file:" + directory.resolve(name) + ";WRITE_DELAY=0";
    }
}
