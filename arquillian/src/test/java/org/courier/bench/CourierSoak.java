package org.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.WildFlyProcess;
import org.courier.loader.LoadGenerator;
import org.courier.loader.LoadGenerator.Plan;
import org.courier.loader.LoadGenerator.Report;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Courier's soak ({@code ./mvnw -Psoak verify}, 1 M messages by default): whether a node that
 * carries traffic for long keeps its memory, files and threads. One freshly started server with
 * an empty database (the benchmark's server and routing), fed in ten rounds; each round sends
 * half its messages one per {@code send} to a receiver that is not idempotent (the sample
 * configuration's default) and half 50 per {@code sendBatch} to an idempotent one, and waits
 * until every message has arrived. After each round: the server's heap after a full
 * collection, its resident memory, open files and threads.
 *
 * <p>It fails when a message was lost or repeated, when the heap after a full collection, the
 * median of the last three rounds, leaves ±10 % of its median over rounds 2 to 4 (200 k to 400 k
 * of 1 M), or when from the second round on files or threads grow more than 10 % over their figure
 * then: a leak, not slowness. Rates are printed, never judged.
 */
@ExtendWith(ArquillianExtension.class)
class CourierSoak {

    private static final String CONTAINER = "benchmark";
    private static final int ROUNDS = 10;
    private static final int BATCH = 50;
    private static final Duration ROUND_DEADLINE = Duration.ofMinutes(30);
    /** The round whose figures the later ones are held to: the server is warm and its pools have grown by then. */
    private static final int REFERENCE_ROUND = 2;
    /** Below this much free disk the soak stops (H2's file grew by ~100 KB a message in the run of 2026-12-06). */
    private static final long MIN_FREE_DISK = 10L * 1024 * 1024 * 1024;

    private final int messages = Integer.getInteger("courier.soak.messages", 1_000_000);
    private final int threads = Integer.getInteger("courier.bench.threads", 16);
    private final int payloadBytes = Integer.getInteger("courier.bench.size", 1024);
    private final LoadGenerator generator = BenchRuns.generator();

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "courier", managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aLongRunKeepsMemoryFilesAndThreads() throws Exception {
        BenchRuns.forgetEarlierRuns();
        controller.start(CONTAINER);
        try {
            deployer.deploy("courier");
            assertThat(CourierDatabase.fromSystemProperty().messagesTotal()).as("messages stored before the soak").isZero();
            List<Checkpoint> checkpoints = new ArrayList<>();
            checkpoints.add(Checkpoint.now(0, 0));
            long repeats = 0;
            ClassHistogram atReference = null;
            try (BenchReceiver plain = BenchReceiver.start(18081, "/bench")) {
                int perRound = messages / ROUNDS;
                for (int round = 1; round <= ROUNDS; round++) {
                    long free = Files.getFileStore(WildFlyProcess.home()).getUsableSpace();
                    assertThat(free).as("free disk before round %d (%s so far): the soak stops before the disk fills up",
                            round, checkpoints.get(checkpoints.size() - 1).line()).isGreaterThan(MIN_FREE_DISK);
                    plain.reset();
                    long start = System.nanoTime();
                    int singles = perRound / 2;
                    send(new Plan("SOAK", "BenchPlain", "soak" + round + "s", singles, threads, payloadBytes, 0));
                    send(new Plan("SOAK", "BenchEO", "soak" + round + "b", perRound - singles, threads, payloadBytes, 0,
                            BATCH));
                    // receivers bench-plain and bench are both this one endpoint
                    Awaitility.await("round " + round + " delivered").atMost(ROUND_DEADLINE)
                            .pollInterval(Duration.ofMillis(200)).until(() -> plain.distinct() >= perRound);
                    double perSecond = perRound / ((plain.lastNewNanos() - start) / 1e9);
                    repeats += plain.repeats();
                    Checkpoint checkpoint = Checkpoint.now((long) round * perRound, perSecond);
                    explainIfItStandsOut(checkpoint, checkpoints);
                    checkpoints.add(checkpoint);
                    System.out.println("SOAK " + checkpoint.line());
                    if (round == REFERENCE_ROUND) {
                        atReference = ClassHistogram.parse(WildFlyProcess.classHistogram());
                    }
                }
            }
            BenchRuns.publish("soak", table(checkpoints, repeats));
            // what the heap grew by from the reference round to the end, whatever the verdict
            BenchRuns.publish("soak-growth", "Live objects at the end of the soak against round " + REFERENCE_ROUND
                    + ":\n\n" + ClassHistogram.parse(WildFlyProcess.classHistogram()).growthSince(atReference, 30));

            assertThat(repeats).as("deliveries the idempotent receiver got twice").isZero();
            // one figure of the heap moves by ±8 % from round to round (what H2 and the broker hold
            // for the last minutes' traffic), and one stood out once (+60 %, gone the round after): a
            // leak is a trend, so the last three rounds' median is held to the median of the three
            // from the reference round on
            double early = medianHeap(checkpoints.subList(REFERENCE_ROUND, REFERENCE_ROUND + 3));
            double late = medianHeap(checkpoints.subList(checkpoints.size() - 3, checkpoints.size()));
            assertThat(late).as("median heap after a full collection over the last three rounds, against %.0f over"
                    + " rounds %d to %d", early, REFERENCE_ROUND, REFERENCE_ROUND + 2).isBetween(0.9 * early, 1.1 * early);
            Checkpoint reference = checkpoints.get(REFERENCE_ROUND);
            for (Checkpoint later : checkpoints.subList(REFERENCE_ROUND, checkpoints.size())) {
                assertThat((double) later.openFiles()).as("open files at %d messages", later.messages())
                        .isLessThanOrEqualTo(1.1 * reference.openFiles());
                assertThat((double) later.threads()).as("threads at %d messages", later.messages())
                        .isLessThanOrEqualTo(1.1 * reference.threads());
            }
        } finally {
            deployer.undeploy("courier");
            controller.stop(CONTAINER);
            BenchRuns.forgetEarlierRuns(); // the test suites share this server: leave them no million rows
        }
    }

    private static double medianHeap(List<Checkpoint> checkpoints) {
        long[] heaps = checkpoints.stream().mapToLong(Checkpoint::heapBytes).sorted().toArray();
        return heaps.length % 2 == 1 ? heaps[heaps.length / 2]
                : (heaps[heaps.length / 2 - 1] + heaps[heaps.length / 2]) / 2.0;
    }

    /**
     * A heap figure 20 % above the median of the earlier rounds' (the empty server's left out) is
     * kept explained: the server's class histogram at that moment goes to {@code target/benchmark/}.
     */
    private static void explainIfItStandsOut(Checkpoint checkpoint, List<Checkpoint> earlier) throws Exception {
        if (earlier.size() <= REFERENCE_ROUND || checkpoint.heapBytes() <= 1.2 * medianHeap(earlier.subList(1, earlier.size()))) {
            return;
        }
        BenchRuns.publish("soak-histogram-" + checkpoint.messages(), "Heap after full GC "
                + checkpoint.heapBytes() / 1048576 + " MiB at " + checkpoint.messages() + " messages:\n\n"
                + WildFlyProcess.classHistogram().lines().limit(60).collect(Collectors.joining("\n")) + "\n");
    }

    private void send(Plan plan) {
        Report report = generator.run(plan, progress -> { });
        System.out.printf("%s %s: %s%n", plan.idPrefix(), plan.interfaceName(), report.summary());
        assertThat(report.acknowledged()).as("acknowledged of %s", plan.idPrefix()).isEqualTo(plan.messages());
    }

    private String table(List<Checkpoint> checkpoints, long repeats) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%n## Courier soak, %s%n%n", Instant.now()));
        t.append(String.format(Locale.ROOT, "%d messages in %d rounds, each half single sends to a receiver that is not"
                + " idempotent, half sendBatch of %d to an idempotent one; %d sender threads, payload %d bytes; server"
                + " heap at most 768 MiB.%n%n", messages, ROUNDS, BATCH, threads, payloadBytes));
        t.append("| Messages | Round delivered/s | Heap after full GC MiB | Resident MiB | Open files | Threads | Data on disk GiB |\n");
        t.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Checkpoint c : checkpoints) {
            t.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.0f | %d | %d | %.1f |%n", c.messages(),
                    c.messages() == 0 ? "" : String.format(Locale.ROOT, "%.0f", c.perSecond()), c.heapBytes() / 1048576.0,
                    c.residentBytes() / 1048576.0, c.openFiles(), c.threads(), c.dataBytes() / 1073741824.0));
        }
        t.append(String.format(Locale.ROOT, "%nRepeated deliveries at the idempotent receiver: %d.%n", repeats));
        return t.toString();
    }

    private record Checkpoint(long messages, double perSecond, long heapBytes, long residentBytes, long openFiles,
                              long threads, long dataBytes) {

        static Checkpoint now(long messages, double perSecond) throws Exception {
            long heap = WildFlyProcess.heapAfterFullGc();
            return new Checkpoint(messages, perSecond, heap, WildFlyProcess.residentBytes(), WildFlyProcess.openFiles(),
                    WildFlyProcess.threads(), dataOnDisk());
        }

        /** What the server's data directory (H2's file, the broker's journal, the transaction log) holds on disk. */
        private static long dataOnDisk() throws Exception {
            try (Stream<Path> files = Files.walk(WildFlyProcess.home().resolve("standalone").resolve("data"))) {
                return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        }

        String line() {
            return String.format(Locale.ROOT, "%d messages: %.0f/s, heap after full GC %.1f MiB, resident %.0f MiB,"
                    + " %d open files, %d threads, data on disk %.1f GiB", messages, perSecond, heapBytes / 1048576.0,
                    residentBytes / 1048576.0, openFiles, threads, dataBytes / 1073741824.0);
        }
    }
}
