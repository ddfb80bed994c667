package org.courier.loader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.courier.loader.LoadGenerator.Plan;
import org.courier.loader.LoadGenerator.Report;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    @Test
    void aPayloadHasExactlyTheAskedSizeAndCarriesItsId() {
        Plan plan = new Plan("S", "I", "run1", 3, 1, 1024, 0);

        String payload = plan.message(2).payload();

        assertThat(payload.getBytes(UTF_8)).hasSize(1024);
        assertThat(payload).startsWith("<load xmlns=\"urn:courier:load\"><id>run1-00000002</id>");
        assertThatThrownBy(() -> new Plan("S", "I", "run1", 3, 1, 64, 0)).hasMessageContaining("at least 128");
    }

    @Test
    void exactlyOnceDealsMessagesToAllThreads() {
        List<List<Integer>> work = new Plan("S", "I", "p", 10, 4, 256, 0).work();

        assertThat(work).hasSize(4);
        assertThat(work.get(0)).containsExactly(0, 4, 8);
        assertThat(work.stream().mapToInt(List::size).sum()).isEqualTo(10);
    }

    @Test
    void inOrderGivesEachQueueToOneThreadInSequence() {
        Plan plan = new Plan("S", "I", "p", 12, 2, 256, 3);
        List<List<Integer>> work = plan.work();

        assertThat(work).hasSize(2);
        Map<String, Integer> owner = new ConcurrentHashMap<>();
        for (int t = 0; t < work.size(); t++) {
            int previous = -1;
            for (int n : work.get(t)) {
                assertThat(owner.putIfAbsent(plan.queueId(n), t)).as("owner of %s", plan.queueId(n)).isIn(null, t);
                assertThat(n).isGreaterThan(previous);
                previous = n;
            }
        }
        assertThat(owner).containsOnlyKeys("Q0000", "Q0001", "Q0002");
        assertThat(new Plan("S", "I", "p", 5, 16, 256, 1).work()).as("one queue: one sender").hasSize(1);
    }

    @Test
    void latencyPercentilesAreNearestRank() {
        long[] latencies = new long[100];
        for (int i = 0; i < 100; i++) {
            latencies[i] = (100 - i) * 1_000_000L;
        }
        Report report = new Report(100, 0, 0, 0, Duration.ofSeconds(2), latencies, null);

        assertThat(report.latency(50)).isEqualTo(Duration.ofMillis(50));
        assertThat(report.latency(99)).isEqualTo(Duration.ofMillis(99));
        assertThat(report.perSecond()).isEqualTo(50.0);
    }

    @Test
    void generatedLoadIsSentRetriedOnRetryableFaultsAndCounted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        HttpServer courier = fakeCourier(calls, seen);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = CourierSend.run(new String[] {"--url", "http://127.0.0.1:" + courier.getAddress().getPort() + "/c",
                    "--sender", "S", "--interface", "I", "--generate", "20", "--threads", "3", "--size", "512",
                    "--id-prefix", "t"}, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));

            assertThat(exit).isZero();
            assertThat(out.toString()).contains("20 messages: 19 accepted, 1 duplicates, 0 faults");
            assertThat(seen).hasSize(20);
            assertThat(calls).as("one retryable fault, sent again").hasValue(21);
        } finally {
            courier.stop(0);
        }
    }

    @Test
    void aBatchGoesInOneEnvelopeAndItsAnswerGivesOneOutcomePerItem() {
        Plan plan = new Plan("S", "I", "b", 2, 1, 256, 0, 2);
        String envelope = SoapSender.batchEnvelope(List.of(plan.message(0), plan.message(1)));
        String ns = "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\"" + SoapSender.NAMESPACE + "\"";

        List<SoapSender.Outcome> outcomes = SoapSender.parseBatch(200, "<soap:Envelope " + ns + "><soap:Body>"
                + "<c:batchAcknowledgement><c:item><c:messageId>b-00000000</c:messageId><c:acknowledgement>"
                + "<c:result>ACCEPTED</c:result></c:acknowledgement></c:item><c:item><c:messageId>b-00000001</c:messageId>"
                + "<c:fault><c:code>TEMPORARILY_UNAVAILABLE</c:code><c:retryable>true</c:retryable><c:reason>busy</c:reason>"
                + "</c:fault></c:item></c:batchAcknowledgement></soap:Body></soap:Envelope>");

        assertThat(envelope).contains("<c:sendBatchRequest><c:message><c:sender>S</c:sender>")
                .containsOnlyOnce("b-00000001</c:messageId>");
        assertThat(outcomes).extracting(SoapSender.Outcome::kind)
                .containsExactly(SoapSender.Outcome.Kind.ACCEPTED, SoapSender.Outcome.Kind.FAULT);
        assertThat(outcomes.get(1).worthRetrying()).isTrue();
        assertThat(outcomes.get(1).detail()).isEqualTo("busy");
    }

    @Test
    void generateOptionsAreChecked() {
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--generate", "10", "a.xml"})).hasMessageContaining("no files");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--generate", "10", "--qos", "ExactlyOnceInOrder"})).hasMessageContaining("--queues goes with");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--generate", "10", "--id-prefix", "a b"})).hasMessageContaining("is not the start of a message id");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--batch", "10", "a.xml"})).hasMessageContaining("--batch and --rate go with --generate");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--generate", "10", "--batch", "5", "--rate", "100"})).hasMessageContaining("--rate goes with Exactly Once");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--generate", "10", "--rate", "0"})).hasMessageContaining("--rate");
    }

    /**
     * Open loop: a Courier that answers one request at a time, 50 ms each, gets 10 messages due 1 ms
     * apart from one sender. Each call takes about 50 ms, but the last message was due at 9 ms and
     * answered after about 500 ms: its latency says so (a closed loop would report 50 ms for each).
     */
    @Test
    void atAFixedRateEachLatencyRunsFromWhenItsMessageWasDue() throws Exception {
        HttpServer courier = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        courier.setExecutor(Executors.newSingleThreadExecutor());
        courier.createContext("/c", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\""
                    + SoapSender.NAMESPACE + "\"><soap:Body><c:acknowledgement><c:result>ACCEPTED</c:result>"
                    + "</c:acknowledgement></soap:Body></soap:Envelope>").getBytes(UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        courier.start();
        try {
            SoapSender sender = new SoapSender(URI.create("http://127.0.0.1:" + courier.getAddress().getPort() + "/c"),
                    Duration.ofSeconds(10));
            Report report = new LoadGenerator(sender, 0).runAtRate(new Plan("S", "I", "r", 10, 1, 256, 0), 1000, r -> { });

            assertThat(report.accepted()).isEqualTo(10);
            assertThat(report.latency(10)).as("the first: one call").isBetween(Duration.ofMillis(50), Duration.ofMillis(400));
            assertThat(report.latency(100)).as("the last: waited for the nine before it").isGreaterThanOrEqualTo(Duration.ofMillis(480));
        } finally {
            courier.stop(0);
        }
    }

    /** Answers ACCEPTED, except: id t-00000007 first gets a retryable fault, id t-00000003 is a DUPLICATE. */
    private static HttpServer fakeCourier(AtomicInteger calls, Map<String, Integer> seen) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        Pattern id = Pattern.compile("<c:messageId>([^<]+)</c:messageId>");
        List<String> faulted = new ArrayList<>();
        server.createContext("/c", exchange -> {
            calls.incrementAndGet();
            Matcher m = id.matcher(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
            String messageId = m.find() ? m.group(1) : "?";
            seen.merge(messageId, 1, Integer::sum);
            String ns = "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\"" + SoapSender.NAMESPACE + "\"";
            String body;
            int status = 200;
            boolean fault;
            synchronized (faulted) {
                fault = messageId.equals("t-00000007") && faulted.isEmpty() && faulted.add(messageId);
            }
            if (fault) {
                status = 500;
                body = "<soap:Envelope " + ns + "><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>x"
                        + "</faultstring><detail><c:courierFault><c:code>TEMPORARILY_UNAVAILABLE</c:code><c:retryable>true"
                        + "</c:retryable><c:reason>busy</c:reason></c:courierFault></detail></soap:Fault></soap:Body></soap:Envelope>";
            } else {
                String result = messageId.equals("t-00000003") ? "DUPLICATE" : "ACCEPTED";
                body = "<soap:Envelope " + ns + "><soap:Body><c:acknowledgement><c:result>" + result
                        + "</c:result></c:acknowledgement></soap:Body></soap:Envelope>";
            }
            byte[] bytes = body.getBytes(UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
