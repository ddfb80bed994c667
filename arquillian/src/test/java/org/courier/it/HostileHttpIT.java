package org.courier.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.courier.it.support.WildFlyProcess;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile HTTP at the running server, on raw sockets: a body over the server's size limit, XML
 * nested 100 000 deep, an element with 100 000 attributes, a header line of a megabyte, and
 * thousands of requests that send their head and then a byte now and then. Each is refused (or
 * cut off), nothing of it is stored, and an ordinary sender is answered meanwhile and after.
 */
@ExtendWith(ArquillianExtension.class)
class HostileHttpIT {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 8080;
    private static final String PATH = "/courier/CourierService";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);
    private static final int HALF_OPEN = 3_000;
    private static final long MOST_MEMORY_PER_REQUEST = 100 * 1024;

    private final CourierClient courier = new CourierClient();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private TestReceiver alpha;
    private long messagesBefore;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void start() {
        alpha = TestReceiver.start(18081);
        messagesBefore = database.messagesTotal();
    }

    @AfterEach
    void stop() {
        alpha.close();
    }

    @Test
    void aBodyOverTheServersLimitIsRefusedAndNothingIsStored() throws Exception {
        String payload = "<order>" + "x".repeat(12 * 1024 * 1024) + "</order>";

        String status = post(envelope(newId(), payload), List.of());

        assertRefused(status);
        assertNothingStoredAndAnOrdinarySendIsAnswered();
    }

    @Test
    void xmlNestedOneHundredThousandDeepIsRefused() throws Exception {
        int depth = 100_000;
        String payload = "<a>".repeat(depth) + "</a>".repeat(depth);

        String status = post(envelope(newId(), payload), List.of());

        assertRefused(status);
        assertNothingStoredAndAnOrdinarySendIsAnswered();
    }

    @Test
    void anElementWithOneHundredThousandAttributesIsRefused() throws Exception {
        StringBuilder payload = new StringBuilder("<a");
        for (int i = 0; i < 100_000; i++) {
            payload.append(" a").append(i).append("=\"v\"");
        }
        String status = post(envelope(newId(), payload.append("/>").toString()), List.of());

        assertRefused(status);
        assertNothingStoredAndAnOrdinarySendIsAnswered();
    }

    /**
     * Where the SOAP stack's limits on nesting and attributes start, measured by bisection (sends
     * of growing payloads, each accepted or refused): printed for the catalogue, and a payload well
     * inside both (nested 50 deep, 200 attributes on one element) is accepted.
     */
    @Test
    void theDepthAndAttributeLimitsAreMeasuredAndOrdinaryPayloadsAreWellInside() throws Exception {
        int deepest = largestAccepted(1, 10_000, depth -> "<a>".repeat(depth) + "</a>".repeat(depth));
        int mostAttributes = largestAccepted(1, 100_000, count -> {
            StringBuilder payload = new StringBuilder("<a");
            for (int i = 0; i < count; i++) {
                payload.append(" a").append(i).append("=\"v\"");
            }
            return payload.append("/>").toString();
        });
        System.out.printf("SOAP v1 send: a payload nested %d deep is accepted, %d deep refused; an element with %d"
                + " attributes is accepted, with %d refused%n", deepest, deepest + 1, mostAttributes, mostAttributes + 1);

        assertThat(deepest).as("deepest payload accepted").isBetween(50, 9_999);
        assertThat(mostAttributes).as("most attributes accepted on one element").isBetween(200, 99_999);
    }

    /** The largest size in [low, high) whose payload is accepted, given that low is accepted and high refused. */
    private int largestAccepted(int low, int high, java.util.function.IntFunction<String> payload) throws Exception {
        assertThat(accepted(payload.apply(low))).as("payload of size %d", low).isTrue();
        assertThat(accepted(payload.apply(high))).as("payload of size %d", high).isFalse();
        while (high - low > 1) {
            int middle = (low + high) >>> 1;
            if (accepted(payload.apply(middle))) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static boolean accepted(String payload) throws IOException {
        return post(envelope(newId(), payload), List.of()).startsWith("HTTP/1.1 200");
    }

    @Test
    void aHeaderLineOfAMegabyteIsRefused() throws Exception {
        String status = post(envelope(newId(), "<order/>"), List.of("X-Junk: " + "j".repeat(1024 * 1024)));

        assertRefused(status);
        assertNothingStoredAndAnOrdinarySendIsAnswered();
    }

    /**
     * Thousands of requests that send their head and a few bytes of body, then a byte now and then:
     * an ordinary sender is answered meanwhile, no thread is started per request, and the server's
     * resident memory grows by a bounded amount per request held open (a worker thread per request
     * would cost its stack, about a megabyte, each). As many as this machine's file limit allows, at
     * most {@value #HALF_OPEN}.
     */
    @Test
    void thousandsOfSlowHalfOpenRequestsDoNotStopAnOrdinarySenderAndCostBoundedMemory() throws Exception {
        int count = halfOpenThisMachineAllows();
        assumeTrue(count >= 1_000, "this machine's file limit allows only " + count + " half-open requests: raise ulimit -n");
        long residentBefore = WildFlyProcess.residentBytes();
        long threadsBefore = WildFlyProcess.threads();
        long residentMost = residentBefore;
        long threadsMost = threadsBefore;
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                slow.add(socket);
                socket.connect(new InetSocketAddress(HOST, PORT), 5_000);
                byte[] body = envelope(newId(), "<order/>").getBytes(UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(head(body.length, List.of()));
                out.write(body, 0, 10);
                out.flush();
            }
            // a byte now and then on each, while an ordinary sender sends
            for (int round = 0; round < 5; round++) {
                for (Socket socket : slow) {
                    if (!socket.isClosed()) {
                        try {
                            socket.getOutputStream().write(' ');
                        } catch (IOException cutOff) {
                            socket.close();
                        }
                    }
                }
                String id = newId();
                Instant sent = Instant.now();
                assertThat(courier.send("ERP", "Orders", id, order()).result()).isEqualTo("ACCEPTED");
                assertThat(Duration.between(sent, Instant.now())).as("an ordinary send's answer").isLessThan(ANSWER_WITHIN);
                residentMost = Math.max(residentMost, WildFlyProcess.residentBytes());
                threadsMost = Math.max(threadsMost, WildFlyProcess.threads());
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        long perRequest = (residentMost - residentBefore) / count;
        System.out.printf("%d half-open requests: the server's resident memory %d MiB before, at most %d MiB while they"
                + " were open (%+d KiB per request); its threads %d before, at most %d%n", count, residentBefore >> 20,
                residentMost >> 20, perRequest >> 10, threadsBefore, threadsMost);
        assertThat(perRequest).as("resident memory per half-open request, bytes").isLessThan(MOST_MEMORY_PER_REQUEST);
        assertThat(threadsMost - threadsBefore).as("threads the server started for them").isLessThan(count / 10);
        assertThat(database.messagesTotal()).as("only the ordinary sends stored").isEqualTo(messagesBefore + 5);
    }

    /** Sockets this JVM (and the server, same user and limit) may open for the test, leaving room for the rest. */
    private static int halfOpenThisMachineAllows() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 500;
            return (int) Math.max(0, Math.min(HALF_OPEN, free));
        }
        return 0;
    }

    private void assertNothingStoredAndAnOrdinarySendIsAnswered() {
        assertThat(database.messagesTotal()).as("messages stored").isEqualTo(messagesBefore);
        assertThat(courier.send("ERP", "Orders", newId(), order()).result()).isEqualTo("ACCEPTED");
    }

    /** Refused: an HTTP error status, or the connection closed without a successful answer. */
    private static void assertRefused(String status) {
        assertThat(status).as("the answer").doesNotStartWith("HTTP/1.1 2");
    }

    /** Posts on a raw socket; the status line of the answer, or "closed: ..." if the server cut the connection. */
    private static String post(String envelope, List<String> extraHeaders) throws IOException {
        byte[] body = envelope.getBytes(UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 5_000);
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(body.length, extraHeaders));
                out.write(body);
                out.flush();
            } catch (IOException cutOff) {
                // the server may refuse before the whole body is sent: its answer, if any, tells
            }
            return statusLine(socket.getInputStream());
        } catch (SocketTimeoutException noAnswer) {
            return "closed: no answer within " + ANSWER_WITHIN;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.write(c);
            }
        } catch (IOException reset) {
            return "closed: " + reset.getMessage();
        }
        return line.size() == 0 ? "closed: no answer" : line.toString(US_ASCII).strip();
    }

    private static byte[] head(int length, List<String> extraHeaders) {
        StringBuilder head = new StringBuilder("POST " + PATH + " HTTP/1.1\r\nHost: " + HOST + ":" + PORT + "\r\n")
                .append("Authorization: ").append(TestUser.INTEGRATION.basicAuthorization()).append("\r\n")
                .append("Content-Type: text/xml; charset=utf-8\r\nSOAPAction: \"").append(CourierClient.NAMESPACE)
                .append("/send\"\r\nContent-Length: ").append(length).append("\r\n");
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        return head.append("Connection: close\r\n\r\n").toString().getBytes(US_ASCII);
    }

    private static String envelope(String id, String payload) {
        return CourierClient.sendEnvelope("ERP", "Orders", id, "ExactlyOnce", null, payload);
    }

    private static String newId() {
        return "hostile-" + UUID.randomUUID();
    }

    private static String order() {
        return "<order xmlns=\"urn:example:orders\"><amount>1.00</amount></order>";
    }
}
