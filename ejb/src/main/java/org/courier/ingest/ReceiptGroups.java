package org.courier.ingest;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.courier.schema.SchemaMigrations;

/**
 * Group commit for single sends: receipts that arrive while another group is being stored are
 * stored together, in one transaction, by one of the requests that wait (the leader); every
 * request still gets its own answer, and only after the transaction holding its receipt has
 * committed. What one commit costs (the database's store write, the broker's journal sync) is
 * then shared by as many receipts as arrived during the previous one, as a {@code sendBatch}
 * shares it; a lone request is stored alone at once, without waiting for company.
 *
 * <p>One group is stored at a time, so two groups never lock the same rows in different orders.
 * If a group's transaction cannot commit (a receipt of it was stored before, a queue was busy,
 * an id was purged), nothing of it was stored and each of its receipts is stored alone by its
 * own request, which answers it exactly as a single send is answered; a group of one hands its
 * failure to its request as is.
 *
 * <p>Where it pays ({@link #pays()}, system property {@value #PROPERTY}: {@code auto}, the
 * default, {@code on} or {@code off}): on H2, whose commits are written one after another
 * anyway. Not on PostgreSQL, which shares one WAL flush among the commits that wait for it at the
 * same time: there one group at a time would serialise what the database does in parallel
 * (measured: acknowledgements twice as slow at half the peak rate), so {@code auto} stores each
 * receipt alone there.
 */
@ApplicationScoped
public class ReceiptGroups {

    /** System property: {@code auto} (grouped on H2, alone on PostgreSQL), {@code on} or {@code off}. */
    public static final String PROPERTY = "courier.receipt.group-commit";
    private static final Logger LOG = Logger.getLogger(ReceiptGroups.class.getName());
    /** The most receipts one transaction stores: bounded in time and memory, as a batch. */
    static final int MAX_GROUP = 50;
    /** How long a waiting request sleeps before it looks again, should a wake-up be missed. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock leading = new ReentrantLock();

    @Resource(lookup = "java:jboss/datasources/CourierDS")
    private DataSource dataSource;
    private volatile Boolean pays;

    /**
     * Whether single sends are stored in groups here: as the system property says, and for
     * {@code auto} whether Courier's database is H2. Decided once, at the first receipt.
     */
    public boolean pays() {
        Boolean decided = pays;
        if (decided == null) {
            synchronized (this) { // decided, and logged, once
                decided = pays;
                if (decided == null) {
                    decided = decide(System.getProperty(PROPERTY, "auto"));
                    pays = decided;
                }
            }
        }
        return decided;
    }

    private boolean decide(String setting) {
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> onH2();
            default -> {
                LOG.warning(() -> "-D" + PROPERTY + "=" + setting + " is not one of on, off, auto: taken as auto");
                yield onH2();
            }
        };
    }

    private boolean onH2() {
        try {
            boolean h2 = SchemaMigrations.Vendor.of(dataSource) == SchemaMigrations.Vendor.H2;
            LOG.info(() -> "Single sends' receipts are " + (h2 ? "committed in groups (H2)"
                    : "committed each alone (PostgreSQL shares its WAL flushes among concurrent commits itself)")
                    + "; -D" + PROPERTY + "=on|off|auto");
            return h2;
        } catch (SQLException | RuntimeException e) {
            LOG.warning(() -> "Could not tell which database Courier's is (" + e + "): single sends' receipts are"
                    + " committed each alone");
            return false;
        }
    }

    /**
     * Stores {@code receipt} in a group through {@code storeTogether} (one transaction for the
     * whole list, all or nothing) and returns how it went: stored with its acknowledgement, or
     * not stored, with what the caller must do.
     */
    public Outcome store(CheckedReceipt receipt, Function<List<CheckedReceipt>, List<Acknowledgement>> storeTogether) {
        Pending mine = new Pending(receipt, Thread.currentThread());
        waiting.add(mine);
        boolean interrupted = false;
        while (mine.outcome == null) {
            if (leading.tryLock()) {
                try {
                    while (mine.outcome == null) {
                        storeGroup(storeTogether);
                    }
                } finally {
                    leading.unlock();
                }
                Pending next = waiting.peek();
                if (next != null) {
                    LockSupport.unpark(next.thread);
                }
            } else {
                LockSupport.parkNanos(this, RECHECK_NANOS);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return mine.outcome;
    }

    private void storeGroup(Function<List<CheckedReceipt>, List<Acknowledgement>> storeTogether) {
        List<Pending> group = new ArrayList<>();
        for (Pending next; group.size() < MAX_GROUP && (next = waiting.poll()) != null; ) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            List<Acknowledgement> stored = storeTogether.apply(group.stream().map(Pending::receipt).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).outcome = new Outcome(stored.get(i), null);
            }
        } catch (RuntimeException notStored) {
            if (group.size() == 1) {
                group.get(0).outcome = new Outcome(null, notStored);
            }
        } finally {
            for (Pending pending : group) {
                if (pending.outcome == null) {
                    pending.outcome = new Outcome(null, null); // nothing stored: its request stores it alone
                }
                LockSupport.unpark(pending.thread);
            }
        }
    }

    /**
     * How a receipt's group went: {@code stored} is its acknowledgement when the group
     * committed; else nothing of it was stored, and {@code failure} is why when it was alone in
     * its group (answer it from that), or {@code null} when it must be stored alone.
     */
    public record Outcome(Acknowledgement stored, RuntimeException failure) {
    }

    private static final class Pending {

        private final CheckedReceipt receipt;
        private final Thread thread;
        private volatile Outcome outcome;

        Pending(CheckedReceipt receipt, Thread thread) {
            this.receipt = receipt;
            this.thread = thread;
        }

        CheckedReceipt receipt() {
            return receipt;
        }
    }
}
