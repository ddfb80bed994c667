package org.courier.it.support;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The two-node cluster of the cluster tests, run by {@code server/courier-cluster.sh} exactly as
 * an operator runs one: two WildFly nodes ({@code standalone-full-ha}) on one PostgreSQL database,
 * behind HAProxy. The tests talk to the balancer, kill nodes with {@code kill -9} and start them
 * again through the script.
 */
public final class CourierCluster implements AutoCloseable {

    /** What senders talk to: the balancer. */
    public static final URI BALANCER = URI.create("http://127.0.0.1:8000/courier/CourierService");
    /** The database both nodes share (made afresh for each test class). */
    public static final String DATABASE = "courier_cluster_test";
    public static final int NODES = 2;
    /** How long after its last heartbeat the tests' nodes take over a dead node's work (production: 60 s). */
    public static final Duration TAKEOVER_AFTER = Duration.ofSeconds(20);
    /**
     * Every test node's JVM: quick transaction recovery and resends, as the crash suites' server,
     * and a takeover after {@link #TAKEOVER_AFTER} with a heartbeat every 2 s. Compiled with C1 alone
     * ({@code -XX:TieredStopAtLevel=1}): two nodes start together, are killed and restarted on a
     * 2-core CI machine, and C2's compiling of two JVMs at once never paid back in a test's few
     * minutes (the cluster tests took 318 s instead of 440 s; a start with the EAR 9.5 s of 15 s of
     * CPU instead of 14.5 s of 28 s). What they prove does not depend on the compiler; the cluster
     * benchmark runs its nodes as in production.
     */
    public static final String TEST_NODE_OPTIONS = "-XX:TieredStopAtLevel=1"
            + " -Dcom.arjuna.ats.arjuna.recovery.periodicRecoveryPeriod=15"
            + " -Dcom.arjuna.ats.arjuna.recovery.recoveryBackoffPeriod=5 -Dcourier.resend.interval=PT2S"
            + " -Dcourier.resend.backoff=PT1S -Dcourier.resend.max-backoff=PT2S -Dcourier.receiver.down-after=never"
            + " -Dcourier.cluster.heartbeat=PT2S -Dcourier.cluster.takeover-after=PT" + TAKEOVER_AFTER.toSeconds() + "S";
    private static final Duration SCRIPT_PATIENCE = Duration.ofMinutes(6);

    private final Path script;
    private final List<String> options;
    private final Path log;
    private final String javaOptions;

    private CourierCluster(Path script, List<String> options, Path log, String javaOptions) {
        this.script = script;
        this.options = options;
        this.log = log;
        this.javaOptions = javaOptions;
    }

    /**
     * Starts a fresh cluster (database and nodes' data made again) with the given routing
     * configuration and JVM options for every node; returns once both nodes are ready and see
     * each other. Where things are comes from the build's system properties.
     */
    public static CourierCluster startFresh(Path configuration, String javaOptions) {
        Path setup = Path.of(System.getProperty("courier.server.setup"));
        Path dir = Path.of(System.getProperty("courier.cluster.dir"));
        List<String> options = List.of("--dir", dir.toString(), "--server", System.getProperty("jboss.home"),
                "--ear", System.getProperty("courier.ear"), "--config", configuration.toString(), "--database", DATABASE);
        CourierCluster cluster = new CourierCluster(setup.resolve("courier-cluster.sh"), options,
                dir.resolveSibling("cluster-script.log"), javaOptions);
        try {
            cluster.run("start", "--recreate");
        } catch (RuntimeException notStarted) {
            try {
                cluster.run("stop");
            } catch (RuntimeException alsoNotStopped) {
                notStarted.addSuppressed(alsoNotStopped);
            }
            throw notStarted;
        }
        return cluster;
    }

    /** kill -9 of node {@code n}: returns once its process is gone. */
    public void kill(int n) {
        run("kill", Integer.toString(n));
    }

    /** Stops node {@code n} cleanly (WildFly's shutdown); returns once its process is gone. */
    public void stopNode(int n) {
        run("stop-node", Integer.toString(n));
    }

    /** The JVM of node {@code n}, found by its server directory. */
    public Optional<ProcessHandle> process(int n) {
        String base = "-Djboss.server.base.dir=" + Path.of(System.getProperty("courier.cluster.dir"), "node-" + n);
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(arguments -> Arrays.asList(arguments).contains(base)).orElse(false)).findFirst();
    }

    /** Starts node {@code n} again; returns once it is ready and back in the cluster's view. */
    public void startNode(int n) {
        run("start-node", Integer.toString(n));
    }

    /** The management port of node {@code n}: WildFly's 9990 plus the node's offset, n x 100. */
    public int managementPort(int n) {
        return 9990 + 100 * n;
    }

    /** The Prometheus scrape of node {@code n} (its management port). */
    public ServerMetrics metrics(int n) {
        return new ServerMetrics(URI.create("http://127.0.0.1:" + managementPort(n) + "/prometheus"));
    }

    /** The shared database, as the tests' oracle reads it. */
    public static CourierDatabase database() {
        return new CourierDatabase("jdbc:postgresql://localhost:5432/" + DATABASE, "courier", "courier");
    }

    /**
     * Waits until everything the load had acknowledged arrived at its receivers, the database
     * counts it DELIVERED, and neither the database nor any running node's broker holds a
     * transaction prepared; an AssertionError that says where things stand otherwise.
     */
    public void awaitDrained(ClusterLoad load, TestReceiver ordered, TestReceiver fragile, Duration deadline) {
        CourierDatabase database = database();
        Set<String> inOrder = load.inOrderIds();
        try {
            Awaitility.await().atMost(deadline).pollInterval(Duration.ofSeconds(1)).until(() ->
                    ReceiverLedger.of(ordered).deliveredAll(load.sender(), inOrder)
                            && ReceiverLedger.of(fragile).deliveredAll(load.sender(), load.fragileIds())
                            && database.delivered(load.sender()) == load.acknowledged().size()
                            && database.preparedCount() == 0 && brokersHoldNothingPrepared());
        } catch (ConditionTimeoutException notDrained) {
            throw new AssertionError("not drained within " + deadline + ": " + load.acknowledged().size() + " acknowledged, "
                    + database.delivered(load.sender()) + " DELIVERED in the database; undelivered: "
                    + database.undeliveredSummary() + "; prepared in the database: " + database.preparedTransactions()
                    + "; node logs: " + serverLog(1) + ", " + serverLog(2), notDrained);
        }
    }

    /** No running node's broker holds a prepared transaction. */
    private boolean brokersHoldNothingPrepared() {
        for (int n = 1; n <= NODES; n++) {
            if (running(n) && !BrokerState.prepared(managementPort(n)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Whether node {@code n}'s management interface answers (it runs). */
    public boolean running(int n) {
        try (Socket ignored = new Socket("127.0.0.1", managementPort(n))) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The server log of node {@code n}, for a failure message. */
    public Path serverLog(int n) {
        return Path.of(System.getProperty("courier.cluster.dir"), "node-" + n, "log", "server.log");
    }

    @Override
    public void close() {
        run("stop");
    }

    private void run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        command.addAll(options);
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("COURIER_CLUSTER_JAVA_OPTS", javaOptions);
            Process process = builder.start();
            if (!process.waitFor(SCRIPT_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", arguments) + " took longer than " + SCRIPT_PATIENCE
                        + "; its output: " + tail());
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("courier-cluster.sh " + String.join(" ", arguments) + " failed (exit "
                        + process.exitValue() + "): " + tail());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
