package org.courier.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's receiver: an idempotent HTTP endpoint that answers 200 at once and keeps only
 * what the figures and the sanity checks need — distinct message ids, repeats, order per
 * queue, and the time of the latest new arrival. Lean on purpose: it shares the machine with
 * the server and the senders.
 */
final class BenchReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastSequence = new ConcurrentHashMap<>();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong lastNewNanos = new AtomicLong();

    private BenchReceiver(int port, String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(pool);
        server.createContext(path, this::handle);
        server.start();
    }

    static BenchReceiver start(int port, String path) {
        try {
            return new BenchReceiver(port, path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
        }
        String id = exchange.getRequestHeaders().getFirst("Courier-Message-Id");
        String sender = exchange.getRequestHeaders().getFirst("Courier-Sender");
        String queue = exchange.getRequestHeaders().getFirst("Courier-Queue-Id");
        String sequence = exchange.getRequestHeaders().getFirst("Courier-Sequence");
        if (ids.add(sender + "/" + id)) {
            lastNewNanos.accumulateAndGet(System.nanoTime(), Math::max);
            if (queue != null) {
                long seq = Long.parseLong(sequence);
                Long before = lastSequence.put(sender + "/" + queue, seq);
                if (before != null && before != seq - 1) {
                    reordered.incrementAndGet();
                }
            }
        } else {
            repeats.incrementAndGet();
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    /** Forgets everything: the next phase starts counting from zero. */
    void reset() {
        ids.clear();
        lastSequence.clear();
        repeats.set(0);
        reordered.set(0);
        lastNewNanos.set(0);
    }

    int distinct() {
        return ids.size();
    }

    long repeats() {
        return repeats.get();
    }

    long reordered() {
        return reordered.get();
    }

    /** {@link System#nanoTime()} of the latest first arrival of a message id. */
    long lastNewNanos() {
        return lastNewNanos.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
