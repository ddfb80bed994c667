package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP receiver on 127.0.0.1 for Courier's deliveries: it accepts POSTs on any path,
 * records each one as an {@link Arrival} and answers with the status set by {@link #answer(int)}
 * (or, for one message id, by {@link #answer(String, int)}), after the pause set by
 * {@link #delay(Duration)}. It can be stopped (connections are refused)
 * and restarted on the same port, keeping what it recorded.
 *
 * <p>An arrival is recorded after the delay, just before its answer is written, so once Courier
 * has seen a 2xx the arrival is already counted by {@link #count(String)}. All methods are
 * thread-safe.
 */
public final class TestReceiver implements AutoCloseable {

    /** The status recorded for a request that was cut off by {@link #stop()} before its answer. */
    public static final int NOT_ANSWERED = 0;

    private static final int THREADS = 16;
    private static final int BACKLOG = 64;
    private static final Duration BIND_PATIENCE = Duration.ofSeconds(10);
    private static final AtomicInteger SERVER_NUMBER = new AtomicInteger();

    /** Appended by the handler threads, read as snapshots ({@link #arrivals()}): cheap with many thousands. */
    private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> answersByMessageId = new ConcurrentHashMap<>();
    private final Map<String, OneShot> oneShots = new ConcurrentHashMap<>();
    private final AtomicInteger statusChecks = new AtomicInteger();
    private volatile Integer statusCheckAnswer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final InetAddress host;
    private volatile int port;
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile Function<Arrival, String> responder;
    private HttpServer server;
    private ExecutorService executor;

    private TestReceiver(InetAddress host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts a receiver on 127.0.0.1 at the given port (0 picks a free one, see {@link #port()}). */
    public static TestReceiver start(int port) {
        TestReceiver receiver = new TestReceiver(InetAddress.getLoopbackAddress(), port);
        receiver.bind();
        return receiver;
    }

    /** The port the receiver listens on (also while stopped). */
    public int port() {
        return port;
    }

    /** The URL to configure as receiver address: {@code http://127.0.0.1:<port>/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** Answers every following request with this HTTP status (200 at start). */
    public void answer(int httpStatus) {
        this.status = httpStatus;
    }

    /**
     * Answers every following request for this message id ({@code Courier-Message-Id}) with this
     * HTTP status, whatever {@link #answer(int)} says, until {@link #clearAnswer(String)}.
     */
    public void answer(String messageId, int httpStatus) {
        answersByMessageId.put(messageId, httpStatus);
    }

    /** Answers following requests for this message id with the status of {@link #answer(int)} again. */
    public void clearAnswer(String messageId) {
        answersByMessageId.remove(messageId);
    }

    /**
     * Answers every following request with a body (as {@code application/xml}): what
     * {@code body} makes of the request as recorded; {@code null} for no body (the start).
     */
    public void respondWith(Function<Arrival, String> body) {
        this.responder = body;
    }

    /** Waits this long before answering every following request (none at start). */
    public void delay(Duration pause) {
        this.delay = pause;
    }

    /**
     * The next request for this message id is processed at once (recorded as answered 200) but
     * its answer is written only after {@code hold}: a receiver that did the work and whose answer
     * is lost to a timeout. Later requests are handled as usual.
     */
    public void processThenAnswerLate(String messageId, Duration hold) {
        oneShots.put(messageId, new OneShot(true, hold));
    }

    /**
     * The next request for this message id is recorded as {@link #NOT_ANSWERED}, held for
     * {@code hold} and dropped unprocessed: a receiver that lost it. Later requests as usual.
     */
    public void loseAfter(String messageId, Duration hold) {
        oneShots.put(messageId, new OneShot(false, hold));
    }

    /**
     * How {@code GET <any path>/status} is answered from now on: {@code null} (the start) answers
     * from what was recorded: 200 if a request with those {@code Courier-Sender} and
     * {@code Courier-Message-Id} headers was processed (2xx), else 404; a number answers that status.
     */
    public void answerStatusChecks(Integer httpStatus) {
        this.statusCheckAnswer = httpStatus;
    }

    /** How many status checks ({@code GET .../status}) were asked. */
    public int statusChecks() {
        return statusChecks.get();
    }

    /** Every recorded request, whatever it was answered, in order of recording. */
    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The requests for this message id that were answered 2xx. */
    public List<Arrival> arrivalsOf(String messageId) {
        return arrivals().stream().filter(a -> a.answered2xx() && messageId.equals(a.messageId())).toList();
    }

    /** How many requests for this message id were answered 2xx. */
    public long count(String messageId) {
        return arrivalsOf(messageId).size();
    }

    /** How many requests for this message id arrived, whatever they were answered. */
    public long attempts(String messageId) {
        return arrivals().stream().filter(a -> messageId.equals(a.messageId())).count();
    }

    /** How many requests arrived in all, whatever they were answered. */
    public int total() {
        return arrivals.size();
    }

    /** How many requests in all were answered 2xx. */
    public int delivered() {
        return (int) arrivals().stream().filter(Arrival::answered2xx).count();
    }

    /** Forgets all recorded arrivals. */
    public void clear() {
        arrivals.clear();
    }

    /** Whether the receiver is listening. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Closes the port at once: running requests are cut off, new connections are refused. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
    }

    /** Listens on the same port again, keeping the recorded arrivals; does nothing while running. */
    public synchronized void restart() {
        if (server == null) {
            bind();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private synchronized void bind() {
        HttpServer created = createWithPatience(new InetSocketAddress(host, port));
        int number = SERVER_NUMBER.incrementAndGet();
        executor = Executors.newFixedThreadPool(THREADS, daemonThreads("test-receiver-" + number + "-"));
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        port = created.getAddress().getPort();
    }

    /** Binds, retrying for a while if the port is still held (e.g. just released by a stop). */
    private static HttpServer createWithPatience(InetSocketAddress at) {
        long deadline = System.nanoTime() + BIND_PATIENCE.toNanos();
        while (true) {
            try {
                return HttpServer.create(at, BACKLOG);
            } catch (BindException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot bind " + at, e);
                }
                pause(Duration.ofMillis(100));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind " + at, e);
            }
        }
    }

    /** The most requests this receiver has been handling at the same moment. */
    public int maxConcurrent() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().endsWith("/status")) {
            answerStatusCheck(exchange);
            return;
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            record(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answerStatusCheck(HttpExchange exchange) throws IOException {
        try (exchange) {
            statusChecks.incrementAndGet();
            String sender = exchange.getRequestHeaders().getFirst("Courier-Sender");
            String messageId = exchange.getRequestHeaders().getFirst("Courier-Message-Id");
            Integer fixed = statusCheckAnswer;
            boolean processed = arrivals().stream().anyMatch(a -> a.answered2xx()
                    && Objects.equals(sender, a.sender()) && Objects.equals(messageId, a.messageId()));
            exchange.sendResponseHeaders(fixed != null ? fixed : processed ? 200 : 404, -1);
        }
    }

    private void record(HttpExchange exchange) throws IOException {
        Instant at = Instant.now();
        String messageId = exchange.getRequestHeaders().getFirst("Courier-Message-Id");
        OneShot oneShot = messageId == null ? null : oneShots.remove(messageId);
        if (oneShot != null) {
            handleOneShot(exchange, at, oneShot);
            return;
        }
        Integer own = messageId == null ? null : answersByMessageId.get(messageId);
        int answer = own != null ? own : status;
        Duration pause = delay;
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), charsetOf(exchange));
            if (!pause(pause)) {
                arrivals.add(arrival(exchange, body, at, NOT_ANSWERED));
                return;
            }
            Arrival arrival = arrival(exchange, body, at, answer);
            arrivals.add(arrival);
            respond(exchange, arrival);
        }
    }

    private void handleOneShot(HttpExchange exchange, Instant at, OneShot oneShot) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), charsetOf(exchange));
            if (oneShot.processed()) {
                arrivals.add(arrival(exchange, body, at, 200));
                if (pause(oneShot.hold())) {
                    exchange.sendResponseHeaders(200, -1);
                }
            } else {
                arrivals.add(arrival(exchange, body, at, NOT_ANSWERED));
                pause(oneShot.hold());
            }
        }
    }

    private record OneShot(boolean processed, Duration hold) {
    }

    /** Writes the answer; if that fails, the arrival is marked as not answered. */
    private void respond(HttpExchange exchange, Arrival arrival) throws IOException {
        try {
            Function<Arrival, String> body = responder;
            if (body == null) {
                exchange.sendResponseHeaders(arrival.answeredStatus(), -1);
            } else {
                byte[] bytes = body.apply(arrival).getBytes(UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
                exchange.sendResponseHeaders(arrival.answeredStatus(), bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            arrivals.replaceAll(a -> a == arrival ? arrival.withStatus(NOT_ANSWERED) : a);
            throw e;
        }
    }

    private static Arrival arrival(HttpExchange exchange, String body, Instant at, int answered) {
        var headers = exchange.getRequestHeaders();
        return new Arrival(headers.getFirst("Courier-Message-Id"), headers.getFirst("Courier-Sender"),
                headers.getFirst("Courier-Interface"), body, at, answered,
                headers.getFirst("Courier-Queue-Id"), sequenceOf(headers.getFirst("Courier-Sequence")),
                "true".equals(headers.getFirst("Courier-Possible-Duplicate")), headers.getFirst("Courier-Source-Message-Id"),
                exchange.getRequestURI().getRawQuery());
    }

    /** The {@code Courier-Sequence} header as a number; {@code null} when absent or not a number. */
    private static Long sequenceOf(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.valueOf(header.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static Charset charsetOf(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            return UTF_8;
        }
        for (String part : contentType.split(";")) {
            String parameter = part.trim();
            if (parameter.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                return charsetNamed(parameter.substring("charset=".length()).replace("\"", "").trim());
            }
        }
        return UTF_8;
    }

    private static Charset charsetNamed(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return UTF_8;
        }
    }

    /** Sleeps; {@code false} if interrupted (the receiver is stopping). */
    private static boolean pause(Duration pause) {
        if (pause.isZero() || pause.isNegative()) {
            return true;
        }
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One request as received: the Courier headers (null when absent), the body, when it arrived
     * and the HTTP status it was answered ({@link #NOT_ANSWERED} if cut off by a stop or if the
     * answer could not be written). {@code queueId} and {@code sequence} come from the headers
     * {@code Courier-Queue-Id} and {@code Courier-Sequence} of an Exactly Once In Order delivery
     * (null when absent; {@code sequence} also when the header is not a number).
     * {@code possibleDuplicate}: the request carried {@code Courier-Possible-Duplicate: true}.
     * {@code sourceMessageId}: the sender's id ({@code Courier-Source-Message-Id}) when
     * {@code messageId} is one mapped for the receiver, else null. {@code query}: the request URL's
     * raw query (SAP RM receivers get the id and queue there), or null.
     */
    public record Arrival(String messageId, String sender, String interfaceName, String body, Instant at,
                          int answeredStatus, String queueId, Long sequence, boolean possibleDuplicate,
                          String sourceMessageId, String query) {

        /** An arrival without queue id and sequence (not in order), carrying the sender's id. */
        public Arrival(String messageId, String sender, String interfaceName, String body, Instant at,
                       int answeredStatus) {
            this(messageId, sender, interfaceName, body, at, answeredStatus, null, null, false, null, null);
        }

        /** Whether the request was answered with a 2xx status. */
        public boolean answered2xx() {
            return answeredStatus >= 200 && answeredStatus < 300;
        }

        Arrival withStatus(int status) {
            return new Arrival(messageId, sender, interfaceName, body, at, status, queueId, sequence, possibleDuplicate,
                    sourceMessageId, query);
        }
    }
}
