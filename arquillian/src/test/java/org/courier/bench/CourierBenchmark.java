package org.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.courier.bench.baseline.JmsBaselineServlet;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ServerMetrics;
import org.courier.loader.LoadGenerator;
import org.courier.loader.LoadGenerator.Plan;
import org.courier.loader.LoadGenerator.Report;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Courier's benchmark ({@code ./mvnw -Pbenchmark verify}): one run on this machine against a
 * freshly started server with an empty database, printing a table (also written to
 * {@code arquillian/target/benchmark/}). Not a timed test: it fails only when Courier got
 * something wrong (a message lost, repeated or out of order), never because it was slow.
 *
 * <p>Phases: warm-up (single, duplicate and batch sends, so the JIT compiler has done its
 * work before anything is measured; its messages are deleted afterwards); a raw JMS baseline inside the server (persistent messages, one XA
 * transaction per send and per receive, Courier's connection factory and MDB parallelism);
 * Exactly Once, one message per {@code send} (to an idempotent receiver, to one that is not, and open loop at half
 * the first one's rate) and 50 per {@code sendBatch}; in order over 100 queues and over 1; the duplicate check with 10 k stored ids;
 * the resend job draining 10 k stored failures; the duplicate check again with 1 M stored ids.
 * Every rate is also shown as a share of the baseline's end-to-end rate, and every delivered phase with
 * the database work it took per message ({@link DatabaseWork}).
 */
@ExtendWith(ArquillianExtension.class)
class CourierBenchmark {

    private static final String CONTAINER = "benchmark";
    private static final String SENDER = "BENCH";
    /** The outage phase's load: issue 27's 1,144 messages, half Exactly Once, half in order over two queues. */
    private static final int OUTAGE_SINGLES = 572;
    private static final int OUTAGE_PER_QUEUE = 286;
    private static final URI BASELINE = URI.create("http://127.0.0.1:8080/courier-benchmark/jms");
    /** Patience for any one phase to finish; a phase that needs longer means something is broken. */
    private static final Duration PHASE_DEADLINE = Duration.ofMinutes(15);
    /** Messages per call in the batch phase: each latency figure there is a whole batch's. */
    private static final int BATCH = 50;
    private static final String WARM_UP = "BENCH-WARM";

    private final Settings settings = Settings.fromSystemProperties();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final LoadGenerator generator = BenchRuns.generator();
    private final List<Row> rows = new ArrayList<>();
    private final DatabaseWork databaseWork = new DatabaseWork(database);
    private final Map<String, DatabaseWork.Figures> work = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private double baselinePerSecond;
    private long repeats;

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "courier", managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Deployment(name = "baseline", managed = false, testable = false, order = 2)
    @TargetsContainer(CONTAINER)
    static WebArchive baseline() {
        return ShrinkWrap.create(WebArchive.class, "courier-benchmark.war")
                .addPackage(JmsBaselineServlet.class.getPackage());
    }

    @Test
    void measure() throws Exception {
        BenchRuns.forgetEarlierRuns();
        controller.start(CONTAINER);
        try {
            deployer.deploy("courier");
            deployer.deploy("baseline");
            // H2's file is removed above; a PostgreSQL database is made empty by its set-up script
            assertThat(database.messagesTotal()).as("messages stored before the benchmark: run it on an empty database"
                    + " (PostgreSQL: server/postgresql/setup-database.sh --recreate courier_test)").isZero();
            try (BenchReceiver receiver = BenchReceiver.start(18081, "/bench")) {
                run(receiver);
            }
            BenchRuns.publish("benchmark", table());
            assertThat(repeats).as("deliveries the idempotent receiver got twice (possible only after a crash)").isZero();
        } finally {
            deployer.undeploy("baseline");
            deployer.undeploy("courier");
            controller.stop(CONTAINER);
            BenchRuns.forgetEarlierRuns(); // the test suites share this server: leave them no million rows
        }
    }

    private void run(BenchReceiver receiver) throws Exception {
        int n = settings.messages();
        int threads = settings.threads();
        Plan warmUp = plan(WARM_UP, "BenchEO", "warm", n, 0);
        phase(receiver, null, warmUp);
        send(warmUp);
        phase(receiver, null, new Plan(WARM_UP, "BenchEO", "warmb", Math.min(n, 2000), threads,
                settings.payloadBytes(), 0, BATCH));
        forgetWarmUp();
        duplicateCheck(receiver, 10_000, Math.max(100, n / 2));
        baseline(Math.min(n, 2000));
        baselinePerSecond = baseline(n);

        Report peak = phase(receiver, "Exactly Once", plan("BENCH-EO", "BenchEO", "eo", n, 0));
        phase(receiver, "Exactly Once, receiver not idempotent", plan("BENCH-PLAIN", "BenchPlain", "plain", n, 0));
        double half = Math.max(1, peak.perSecond() / 2);
        phase(receiver, String.format(Locale.ROOT, "Exactly Once, open loop at %.0f/s (half the peak above)", half),
                new Plan("BENCH-OPEN", "BenchEO", "open", Math.max(100, n / 2), 4 * threads, settings.payloadBytes(), 0),
                half);
        phase(receiver, "Exactly Once, sendBatch of " + BATCH, new Plan("BENCH-EO-BATCH", "BenchEO", "eob", n, threads,
                settings.payloadBytes(), 0, BATCH));
        phase(receiver, "In order, 100 queues", plan("BENCH-EOIO-100", "BenchEOIO", "q100", n, 100));
        phase(receiver, "In order, 1 queue", plan("BENCH-EOIO-1", "BenchEOIO", "q1", Math.max(100, n / 5), 1));

        resendDrain(settings.failures());
        outageDrain(OUTAGE_SINGLES, OUTAGE_PER_QUEUE);
        duplicateCheck(receiver, settings.largeStore(), Math.max(100, n / 2));
        overview();
        System.out.printf("Sender threads %d, payload %d bytes%n", threads, settings.payloadBytes());
    }

    private Plan plan(String sender, String interfaceName, String prefix, int messages, int queues) {
        return new Plan(sender, interfaceName, prefix, messages, settings.threads(), settings.payloadBytes(), queues);
    }

    /** Sends the plan, waits until the receiver has every message, and records accepted/s and delivered/s. */
    private Report phase(BenchReceiver receiver, String label, Plan plan) {
        return phase(receiver, label, plan, 0);
    }

    /** As {@link #phase(BenchReceiver, String, Plan)}; a {@code rate} above 0 sends open loop at that rate. */
    private Report phase(BenchReceiver receiver, String label, Plan plan, double rate) {
        receiver.reset();
        if (label != null) {
            databaseWork.start();
        }
        double batchedBefore = batched();
        long start = System.nanoTime();
        Report sent = send(plan, rate);
        awaitDelivered(receiver, plan.messages(), label == null ? "warm-up" : label);
        System.out.printf(Locale.ROOT, "BENCH %s: %.0f deliveries taken into a transaction after its first, of %d%n",
                label, batched() - batchedBefore, plan.messages());
        double delivered = plan.messages() / ((receiver.lastNewNanos() - start) / 1e9);
        if (label != null) {
            DatabaseWork.Figures figures = databaseWork.since(plan.messages());
            work.put(label, figures);
            rows.add(Row.of(label + ": accepted", sent.acknowledged(), sent.perSecond(), sent));
            rows.add(Row.of(label + ": delivered (end to end)", plan.messages(), delivered, null, figures));
        }
        assertThat(receiver.reordered()).as("in-order deliveries out of sequence in %s", label).isZero();
        repeats += receiver.repeats();
        return sent;
    }

    /** Deliveries the server took into a delivery transaction after its first one, so far. */
    private static double batched() {
        return new ServerMetrics().value("courier_deliveries_batched_total").orElse(0);
    }

    private Report send(Plan plan) {
        return send(plan, 0);
    }

    private Report send(Plan plan, double rate) {
        Report report = rate > 0 ? generator.runAtRate(plan, rate, progress -> { }) : generator.run(plan, progress -> { });
        System.out.printf("%s %s: %s%n", plan.sender(), plan.interfaceName(), report.summary());
        assertThat(report.acknowledged()).as("acknowledged of %s", plan.sender()).isEqualTo(plan.messages());
        return report;
    }

    /** The duplicate check with {@code stored} ids in the store: new ids, then the same ids again. */
    private void duplicateCheck(BenchReceiver receiver, long stored, int messages) {
        long have = fillStoreTo(stored);
        String label = have >= 1_000_000 ? String.format(Locale.ROOT, "%.1f M", have / 1e6) : (have / 1000) + " k";
        Plan plan = new Plan(SENDER, "BenchEO", "dup" + stored, messages, settings.threads(), settings.payloadBytes(), 0);
        Report fresh = phase(receiver, null, plan);
        rows.add(Row.of("New ids, " + label + " stored ids: accepted", fresh.accepted(), fresh.perSecond(), fresh));
        Report again = send(plan);
        assertThat(again.duplicates()).as("duplicates answered").isEqualTo(messages);
        rows.add(Row.of("Same ids again, " + label + " stored ids: DUPLICATE", again.duplicates(), again.perSecond(), again));
    }

    /**
     * How long the monitor's overview takes to answer with the store filled (its messages accepted
     * over the last 24 hours): the last 15 minutes, hour and day, five times each (median and
     * slowest). The fill wrote into minutes the per-minute counts had already covered, which no
     * real traffic does: the counts are started again, and the overview measured once they have
     * caught up with the oldest message.
     */
    private void overview() {
        database.update("delete from COURIER_MINUTE");
        database.update("update COURIER_ROLLUP set COVERED_FROM = null, COVERED_TO = null");
        long start = System.nanoTime();
        await(() -> database.count("select count(*) from COURIER_ROLLUP where COVERED_FROM <="
                        + " (select min(ACCEPTED_AT) from COURIER_MESSAGE)") == 1, "per-minute counts back to the oldest message",
                () -> "covered " + database.count("select count(*) from COURIER_MINUTE") + " rows");
        System.out.printf(Locale.ROOT, "Per-minute counts of %d messages (24 hours) made in %.0f s%n", database.messagesTotal(),
                (System.nanoTime() - start) / 1e9);
        CourierAdmin admin = new CourierAdmin();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Overview answer, %.1f M messages stored (24 hours):",
                database.messagesTotal() / 1e6));
        for (String window : List.of("PT15M", "PT1H", "P1D")) {
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long t = System.nanoTime();
                admin.overview(window);
                if (i > 0) { // the first one warms up
                    millis.add((System.nanoTime() - t) / 1e6);
                }
            }
            millis.sort(Double::compare);
            line.append(String.format(Locale.ROOT, " %s median %.0f ms, slowest %.0f ms;", window, millis.get(2),
                    millis.get(millis.size() - 1)));
        }
        System.out.println(line);
        notes.add(line.toString());
    }

    /** The warm-up leaves a warm server, not a bigger store: its (delivered) messages are deleted. */
    private void forgetWarmUp() {
        database.update("delete from COURIER_DELIVERY where MESSAGE_KEY in (select ID from COURIER_MESSAGE where SENDER = ?)",
                WARM_UP);
        int deleted = database.update("delete from COURIER_MESSAGE where SENDER = ?", WARM_UP);
        System.out.printf("Warm-up done; its %d messages deleted%n", deleted);
    }

    /**
     * Tops the store up to {@code target} messages (each with a delivered delivery) straight
     * in the database, in chunks: {@code INSERT ... SELECT} from a range of numbers (H2's
     * {@code SYSTEM_RANGE}, PostgreSQL's {@code generate_series}).
     */
    private long fillStoreTo(long target) {
        long have = database.messagesTotal();
        long start = System.nanoTime();
        String range = database.isH2() ? "system_range(?, ?)" : "generate_series(cast(? as bigint), cast(? as bigint)) as r(X)";
        String id = "lpad(cast(X as varchar), 12, '0')";
        // accepted (and delivered) over the last 24 hours, as a day's traffic would be
        String ago = "current_timestamp - mod(X, 86400) * interval '1' second";
        for (long from = have + 1; from <= target; from += 100_000) {
            long to = Math.min(target, from + 99_999);
            database.update("insert into COURIER_MESSAGE (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS, PAYLOAD_HASH,"
                    + " PAYLOAD, ACCEPTED_AT) select concat('fill-', " + id + "), ?, concat('fill-', " + id + "),"
                    + " 'BenchEO', 'ExactlyOnce', repeat('0', 64), '<fill/>', " + ago + " from " + range,
                    SENDER, from, to);
            database.update("insert into COURIER_DELIVERY (ID, MESSAGE_KEY, RECEIVER, STATE, ATTEMPTS, DELIVERED_AT,"
                    + " VERSION) select concat('fill-d-', " + id + "), concat('fill-', " + id + "), 'bench',"
                    + " 'DELIVERED', 1, " + ago + ", 1 from " + range, from, to);
        }
        long now = database.messagesTotal();
        System.out.printf("Store filled from %d to %d messages in %.1f s%n", have, now, (System.nanoTime() - start) / 1e9);
        return now;
    }

    /**
     * The failure store drained by the resend job: {@code failures} messages to a receiver that
     * is down go to FAILED; then the receiver comes up, the job is started, and the drain rate is
     * the failures over the time from the job's start to the last one's arrival.
     */
    private void resendDrain(int failures) {
        Plan plan = new Plan("BENCH-RESEND", "BenchResend", "resend", failures, settings.threads(),
                settings.payloadBytes(), 0);
        send(plan);
        await(() -> dueFailures() >= failures, "deliveries of BenchResend in the failure store and due",
                () -> dueFailures() + " FAILED and due");
        try (BenchReceiver receiver = BenchReceiver.start(18082, "/bench-resend")) {
            CourierAdmin admin = new CourierAdmin();
            databaseWork.start();
            double batchedBefore = batched();
            long start = System.nanoTime();
            admin.runResend();
            awaitDelivered(receiver, failures, "resend drain");
            System.out.printf(Locale.ROOT, "BENCH resend: %.0f deliveries taken into a transaction after its first, of %d%n",
                    batched() - batchedBefore, failures);
            DatabaseWork.Figures figures = databaseWork.since(failures);
            work.put("Resend job drains stored failures", figures);
            rows.add(Row.of("Resend job drains stored failures", failures,
                    failures / ((receiver.lastNewNanos() - start) / 1e9), null, figures));
            repeats += receiver.repeats();
        }
    }

    /**
     * Receiver health after an outage, the load of issue 27's measurement ({@code singles} Exactly
     * Once messages and two in-order queues of {@code perQueue}): everything is sent to a receiver that
     * is down (connection refused) until Courier has taken it for DOWN and every delivery waits (none
     * PENDING: each queue's head waits, the rest HELD behind it). Then the receiver comes up, and the
     * drain is timed from its return to the last arrival: at most one probe interval (10 s by
     * default) until a waiting delivery is tried, then all of them at the receiver's share of the
     * sessions, each queue in its order.
     */
    private void outageDrain(int singles, int perQueue) {
        send(new Plan("BENCH-OUTAGE", "BenchOutage", "outage", singles, settings.threads(), settings.payloadBytes(), 0));
        send(new Plan("BENCH-OUTAGE", "BenchOutage", "outageq", 2 * perQueue, 2, settings.payloadBytes(), 2));
        int total = singles + 2 * perQueue;
        await(() -> outageDeliveries("PENDING") == 0 && outageDeliveries("FAILED") == singles + 2,
                "deliveries of BenchOutage waiting for their receiver",
                () -> outageDeliveries("PENDING") + " PENDING, " + outageDeliveries("FAILED") + " FAILED, "
                        + outageDeliveries("HELD") + " HELD");
        try (BenchReceiver receiver = BenchReceiver.start(18083, "/bench-outage")) {
            long start = System.nanoTime();
            awaitDelivered(receiver, total, "drain after the outage");
            double seconds = (receiver.lastNewNanos() - start) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH-OUTAGE %d messages waiting (%d Exactly Once, 2 queues of %d in order):"
                    + " all delivered %.1f s after the receiver came back%n", total, singles, perQueue, seconds);
            rows.add(Row.of(String.format(Locale.ROOT, "Receiver back after an outage: %d waiting delivered in %.1f s",
                    total, seconds), total, total / seconds, null));
            assertThat(receiver.reordered()).as("in-order deliveries out of sequence after the outage").isZero();
            repeats += receiver.repeats();
        }
    }

    private long outageDeliveries(String state) {
        return database.count("select count(*) from COURIER_DELIVERY where RECEIVER = 'bench-outage' and STATE = ?", state);
    }

    /** FAILED deliveries of the resend phase whose next resend is due: what one job run will take. */
    private long dueFailures() {
        return database.count("select count(*) from COURIER_DELIVERY where RECEIVER = 'bench-resend' and STATE = 'FAILED'"
                + " and NEXT_RESEND_AT <= ?", Timestamp.from(Instant.now()));
    }

    /** One run of the in-server JMS baseline; its end-to-end rate (messages received per second). */
    private double baseline(int messages) throws IOException, InterruptedException {
        URI uri = URI.create(BASELINE + "?messages=" + messages + "&threads=" + settings.threads()
                + "&size=" + settings.payloadBytes());
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri).timeout(PHASE_DEADLINE).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("sent=([0-9.]+) received=([0-9.]+)").matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new AssertionError("baseline failed: HTTP " + response.statusCode() + " " + response.body());
        }
        double sent = messages / Double.parseDouble(m.group(1));
        double received = messages / Double.parseDouble(m.group(2));
        if (messages == settings.messages()) {
            rows.add(Row.of("JMS baseline: sent (1 XA transaction each)", messages, sent, null));
            rows.add(Row.of("JMS baseline: sent and received (the 100 % line)", messages, received, null));
        }
        return received;
    }

    private void awaitDelivered(BenchReceiver receiver, int messages, String what) {
        await(() -> receiver.distinct() >= messages, what + " delivered",
                () -> receiver.distinct() + " of " + messages + " arrived; delivery states: " + deliveryStates());
    }

    private String deliveryStates() {
        StringBuilder states = new StringBuilder();
        for (String state : List.of("PENDING", "HELD", "FAILED", "ERROR", "IN_DOUBT")) {
            states.append(state).append(' ')
                    .append(database.count("select count(*) from COURIER_DELIVERY where STATE = ?", state)).append(' ');
        }
        return states.toString().trim();
    }

    /** Polls every 20 ms up to the phase deadline; the figures come from recorded times, not from this poll. */
    private static void await(BooleanSupplier done, String what, Supplier<String> state) {
        try {
            Awaitility.await(what).atMost(PHASE_DEADLINE).pollInterval(Duration.ofMillis(20)).until(done::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not done within " + PHASE_DEADLINE + ": " + what + " (" + state.get() + ")", e);
        }
    }

    private String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n## Courier benchmark, %s%n%n", Instant.now()));
        t.append(String.format(Locale.ROOT, "Machine: %d cores (server, senders and receiver share them), Java %s.%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        t.append(String.format(Locale.ROOT, "Load: payload %d bytes, %d sender threads over SOAP/HTTP, each waiting for"
                + " its acknowledgement; %d messages per phase; receiver on loopback answering 200 at once.%n",
                settings.payloadBytes(), settings.threads(), settings.messages()));
        t.append("Server: WildFly 39 standalone-full, ").append(database.isH2() ? "H2 file database (commit-markable resource)"
                : "PostgreSQL database (XA)").append(", embedded Artemis, 16 delivery sessions.\n\n");
        t.append("| Measurement | Messages | Per second | Of baseline | Ack median ms | Ack p99 ms | Database per message |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            t.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f %% | %s | %s | %s |%n", row.label(), row.messages(),
                    row.perSecond(), 100 * row.perSecond() / baselinePerSecond, row.median(), row.p99(), row.database()));
        }
        t.append(String.format(Locale.ROOT, "%nReceivers saw %d repeated deliveries; 0 out of order.%n", repeats));
        notes.forEach(note -> t.append('\n').append(note).append('\n'));
        t.append(database.isH2()
                ? "\nDatabase per message: statements the server ran (H2's query statistics), from the phase's first send"
                        + " to its last delivery; commits are not statements and are not counted.\n\n"
                : "\nDatabase per message: transactions committed and rows written (pg_stat_database, approximate).\n\n");
        work.forEach((phase, figures) -> t.append("- ").append(phase).append(": ").append(figures.detail()));
        return t.toString();
    }

    private record Row(String label, long messages, double perSecond, String median, String p99, String database) {

        static Row of(String label, long messages, double perSecond, Report latencies) {
            return of(label, messages, perSecond, latencies, null);
        }

        static Row of(String label, long messages, double perSecond, Report latencies, DatabaseWork.Figures work) {
            String database = work == null ? "" : work.perMessage();
            return latencies == null
                    ? new Row(label, messages, perSecond, "", "", database)
                    : new Row(label, messages, perSecond, millis(latencies.latency(50)), millis(latencies.latency(99)),
                            database);
        }

        private static String millis(Duration d) {
            return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6);
        }
    }

    /** What the run measures with; system properties {@code courier.bench.*} (see the README). */
    private record Settings(int messages, int threads, int payloadBytes, int failures, long largeStore) {

        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("courier.bench.messages", 10_000),
                    Integer.getInteger("courier.bench.threads", 16),
                    Integer.getInteger("courier.bench.size", 1024),
                    Integer.getInteger("courier.bench.failures", 10_000),
                    Long.getLong("courier.bench.large-store", 1_000_000));
        }
    }
}
