package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * PostgreSQL stopped the hard way (immediate shutdown: sessions cut, transactions in flight
 * either never prepared or left prepared) and started again while eight senders keep sending:
 * while it is down senders get faults, never an acknowledgement; afterwards every acknowledged
 * message is stored and delivered once, and WildFly's transaction recovery has resolved every
 * prepared transaction (none left in {@code pg_prepared_xacts}). Runs with the postgresql build
 * profile only.
 */
@EnabledIfSystemProperty(named = "courier.test.db.url", matches = "jdbc:postgresql:.*")
class PostgresRestartCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(PostgresRestartCrashIT.class.getName());
    private static final Path CONTROL = Path.of("src/test/scripts/postgresql.sh").toAbsolutePath();

    private final Map<String, Long> faults = new ConcurrentHashMap<>();
    private final AtomicLong acknowledgedWhileDown = new AtomicLong();
    private volatile boolean down;
    private volatile long preparedAfterRestart = -1;

    @Test
    void aDatabaseRestartUnderLoadLosesNothingAndLeavesNoPreparedTransaction() throws Exception {
        String sender = "PGR-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            receiver.delay(Duration.ofMillis(10));
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> loops = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    loops.add(senders.submit(() -> sendWhile(running, sender, acknowledged)));
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= 100 && receiver.total() >= 50);

                long faultsBefore = totalFaults();
                control("stop");
                down = true;
                await().atMost(Duration.ofSeconds(60)).until(() -> totalFaults() >= faultsBefore + 20);
                down = false;
                control("start");
                // branches the stop caught between prepare and commit, for the log: recovery must resolve them
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    preparedAfterRestart = database.inDoubtCount();
                    return true;
                });

                int before = acknowledged.size();
                await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= before + 100);
            } finally {
                running.set(false);
                down = false;
            }
            for (Future<?> loop : loops) {
                loop.get(5, TimeUnit.MINUTES);
            }
            senders.shutdown();

            await().atMost(Duration.ofSeconds(180)).until(() -> acknowledged.stream().allMatch(id -> receiver.count(id) >= 1));
            await().atMost(Duration.ofSeconds(180)).until(() -> database.delivered(sender) == acknowledged.size());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> database.inDoubtCount() == 0);
            long twice = acknowledged.stream().filter(id -> receiver.count(id) > 1).count();
            LOG.info("PostgreSQL restart under load: " + acknowledged.size() + " acknowledged and delivered, "
                    + twice + " delivered twice, faults while down or recovering " + faults + ", prepared transactions"
                    + " right after the restart " + preparedAfterRestart + ", left after recovery " + database.inDoubtCount());

            assertThat(acknowledgedWhileDown).as("acknowledged while PostgreSQL was down").hasValue(0);
            assertThat(database.messages(sender)).isEqualTo(acknowledged.size());
            assertThat(twice).as("delivered twice").isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(database.inDoubtTransactions()).isEmpty();
        }
    }

    /**
     * Each sender resends a message until it is acknowledged, as a real sender does. An
     * acknowledgement of a request that started and ended while PostgreSQL was stopped is
     * counted: there must be none.
     */
    private Void sendWhile(AtomicBoolean running, String sender, Set<String> acknowledged) {
        while (running.get()) {
            String id = UUID.randomUUID().toString();
            while (true) {
                boolean wasDown = down;
                try {
                    courier.send(sender, "Crash", id, payloadOf(id));
                    if (wasDown && down) {
                        acknowledgedWhileDown.incrementAndGet();
                    }
                    acknowledged.add(id);
                    break;
                } catch (CourierFaultException fault) {
                    faults.merge(fault.code(), 1L, Long::sum);
                } catch (RuntimeException noAnswer) {
                    faults.merge("no answer", 1L, Long::sum);
                }
                pauseBeforeRetry();
            }
        }
        return null;
    }

    /** A sender's pause between tries: load shaping, not synchronisation. */
    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long totalFaults() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void control(String action) throws Exception {
        Process process = new ProcessBuilder(CONTROL.toString(), action).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(CONTROL + " " + action + " failed");
        }
    }
}
