package org.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.courier.it.support.CourierCluster;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.TestUser;
import org.courier.loader.LoadGenerator;
import org.courier.loader.LoadGenerator.Plan;
import org.courier.loader.LoadGenerator.Report;
import org.courier.loader.SoapSender;
import org.junit.jupiter.api.Test;

/**
 * The cluster benchmark ({@code ./mvnw -Pcluster-benchmark verify}): a fresh two-node cluster on
 * PostgreSQL behind HAProxy (server/courier-cluster.sh), the same Exactly Once load sent through the
 * balancer to one node and to two, and the two ratios issue 21 asks for, from one run:
 *
 * <ul>
 *   <li><b>clustering overhead</b>: two nodes against one on the same machine, nothing pinned — what
 *       a second node costs when the machine, not the node, is the limit (target at least 0.9);</li>
 *   <li><b>scale-out</b>: each node pinned to a core of its own ({@code taskset}) against one node
 *       pinned to one core; the load generator (this JVM), PostgreSQL and HAProxy are not pinned
 *       (target at least 1.6).</li>
 * </ul>
 *
 * Order: both nodes warmed up and measured; node-2 stopped, node-1 measured alone, then pinned to
 * core 0 and measured; node-2 started again, warmed up, pinned to core 1, and both measured. Not a
 * timed test: it fails only when Courier got something wrong (a message lost or repeated), never
 * because it was slow. Needs PostgreSQL and HAProxy, as the cluster tests.
 */
class ClusterBenchmark {

    private static final String INTERFACE = "BenchEO";
    private static final Duration PHASE_DEADLINE = Duration.ofMinutes(15);

    private final int messages = Integer.getInteger("courier.bench.messages", 10_000);
    private final int threads = Integer.getInteger("courier.bench.threads", 16);
    private final int payloadBytes = Integer.getInteger("courier.bench.size", 1024);
    private final LoadGenerator generator = new LoadGenerator(
            new SoapSender(CourierCluster.BALANCER, Duration.ofSeconds(60), TestUser.INTEGRATION.credentials()), 20);
    private final CourierDatabase database = CourierCluster.database();
    private final List<String> rows = new ArrayList<>();
    private long repeats;

    @Test
    void measure() throws Exception {
        Path configuration = Path.of(System.getProperty("courier.cluster.bench.config"));
        try (CourierCluster cluster = CourierCluster.startFresh(configuration, "");
             BenchReceiver receiver = BenchReceiver.start(18081, "/bench")) {
            phase(receiver, null, "warm", Math.min(messages, 4000));
            double two = phase(receiver, "2 nodes", "two", messages);

            cluster.stopNode(2);
            double one = phase(receiver, "1 node", "one", messages);
            pin(cluster, 1, "0");
            double onePinned = phase(receiver, "1 node on core 0", "one-pinned", messages);

            cluster.startNode(2);
            pin(cluster, 1, "0");
            pin(cluster, 2, "1");
            phase(receiver, null, "warm2", Math.min(messages, 4000));
            double twoPinned = phase(receiver, "2 nodes on cores 0 and 1", "two-pinned", messages);

            BenchRuns.publish("cluster-benchmark", table(two / one, twoPinned / onePinned));
            assertThat(repeats).as("deliveries the idempotent receiver got twice (possible only after a crash)").isZero();
        }
    }

    /**
     * Sends {@code count} new Exactly Once messages through the balancer and waits until the receiver
     * has every one; the end-to-end rate (first send to last new arrival), recorded under {@code label}
     * unless it is a warm-up.
     */
    private double phase(BenchReceiver receiver, String label, String prefix, int count) {
        receiver.reset();
        Plan plan = new Plan("BENCH-CLUSTER", INTERFACE, prefix, count, threads, payloadBytes, 0);
        long[] cpuBefore = cpuTicks();
        long start = System.nanoTime();
        Report sent = generator.run(plan, progress -> { });
        System.out.printf("%s: %s%n", label == null ? "warm-up " + prefix : label, sent.summary());
        assertThat(sent.acknowledged()).as("acknowledged in %s", prefix).isEqualTo(count);
        try {
            Awaitility.await().atMost(PHASE_DEADLINE).pollInterval(Duration.ofMillis(20))
                    .until(() -> receiver.distinct() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(prefix + ": " + receiver.distinct() + " of " + count + " arrived within "
                    + PHASE_DEADLINE + "; undelivered: " + database.undeliveredSummary(), e);
        }
        double delivered = count / ((receiver.lastNewNanos() - start) / 1e9);
        long[] cpu = cpuTicks();
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] -= cpuBefore[i];
        }
        repeats += receiver.repeats();
        if (label != null) {
            rows.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.1f | %.1f | %s | %s |", label, count, sent.perSecond(),
                    delivered, sent.latency(50).toNanos() / 1e6, sent.latency(99).toNanos() / 1e6,
                    share(cpu[0], cpu[2]), share(cpu[1], cpu[2])));
        }
        return delivered;
    }

    /**
     * The machine's CPU time so far, from /proc/stat's first line: busy (user, nice, system, irq,
     * softirq, steal), waiting for I/O, and in all; zeros where there is no /proc/stat.
     */
    private static long[] cpuTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] t = new long[9];
            for (int i = 0; i < t.length && i + 1 < fields.length; i++) {
                t[i] = Long.parseLong(fields[i + 1]);
            }
            long busy = t[0] + t[1] + t[2] + t[5] + t[6] + t[7];
            return new long[] {busy, t[4], busy + t[3] + t[4]};
        } catch (IOException | RuntimeException noProcStat) {
            return new long[3];
        }
    }

    private static String share(long part, long all) {
        return all == 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * part / all);
    }

    /** Pins every thread of node {@code n}'s JVM to {@code cpus} (taskset -a -p -c). */
    private static void pin(CourierCluster cluster, int n, String cpus) throws IOException, InterruptedException {
        long pid = cluster.process(n).orElseThrow(() -> new IllegalStateException("node-" + n + " does not run")).pid();
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                .redirectErrorStream(true).start();
        String output = new String(taskset.getInputStream().readAllBytes());
        if (!taskset.waitFor(30, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
            throw new IllegalStateException("taskset of node-" + n + " (pid " + pid + ") failed: " + output);
        }
        System.out.printf("node-%d (pid %d) pinned to CPU %s%n", n, pid, cpus);
    }

    private String table(double overhead, double scaleOut) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n## Courier cluster benchmark, %s%n%n", Instant.now()));
        t.append(String.format(Locale.ROOT, "Machine: %d cores; two WildFly nodes (standalone-full-ha) on one PostgreSQL,"
                + " behind HAProxy (HTTP, round robin per request); the load generator, PostgreSQL, HAProxy and the"
                + " receiver share the machine. Load: Exactly Once to one idempotent receiver, %d sender threads over"
                + " SOAP/HTTP through the balancer, payload %d bytes, %d messages per phase. Java %s. CPU busy and I/O"
                + " wait: the whole machine's, over the phase (/proc/stat).%n%n",
                Runtime.getRuntime().availableProcessors(), threads, payloadBytes, messages, System.getProperty("java.version")));
        t.append("| Nodes | Messages | Accepted/s | Delivered/s (end to end) | Ack median ms | Ack p99 ms | CPU busy | I/O wait |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        rows.forEach(row -> t.append(row).append('\n'));
        t.append(String.format(Locale.ROOT, "%nClustering overhead (2 nodes / 1 node, unpinned, delivered/s): %.2f (target >= 0.9)%n",
                overhead));
        t.append(String.format(Locale.ROOT, "Scale-out (2 nodes on a core each / 1 node on one core, delivered/s): %.2f x"
                + " (target >= 1.6)%n", scaleOut));
        t.append(String.format(Locale.ROOT, "Receiver saw %d repeated deliveries.%n", repeats));
        return t.toString();
    }
}
