package org.courier.delivery;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP receiver on a local socket, written by hand because its point is to close
 * connections the way real servers do, which no ready-made test server lets one choose:
 * <ul>
 *   <li>{@link Manner#HTTP_1_0}: answers as HTTP/1.0 without keep-alive and closes, as an old
 *       server or a CGI gateway does;</li>
 *   <li>{@link Manner#CLOSE_UNANNOUNCED}: answers as HTTP/1.1 without {@code Connection: close}
 *       and closes all the same;</li>
 *   <li>{@link Manner#DROP_IDLE}: keeps connections alive and closes one that stays idle for
 *       {@code idle}, as a load balancer or an application server does.</li>
 * </ul>
 * Every request it read to the end is counted, by its {@code Courier-Message-Id}, and answered 200.
 * Shared with the integration tests (the ejb module's test jar).
 */
public final class ConnectionClosingReceiver implements AutoCloseable {

    public enum Manner { HTTP_1_0, CLOSE_UNANNOUNCED, DROP_IDLE }

    private static final String MESSAGE_ID = "courier-message-id:";

    private final Manner manner;
    private final Duration idle;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-receiver-connection");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<String, Integer> received = new ConcurrentHashMap<>();

    private ConnectionClosingReceiver(Manner manner, int port) throws IOException {
        this.manner = manner;
        this.idle = Duration.ofSeconds(1);
        this.server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptLoop);
    }

    /** On a free port; DROP_IDLE drops connections idle for 1 s. */
    static ConnectionClosingReceiver start(Manner manner) throws IOException {
        return new ConnectionClosingReceiver(manner, 0);
    }

    /** On this port of 127.0.0.1; DROP_IDLE drops connections idle for 1 s. */
    public static ConnectionClosingReceiver start(Manner manner, int port) throws IOException {
        return new ConnectionClosingReceiver(manner, port);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/in");
    }

    /** Requests read to the end (and answered). */
    public long requests() {
        return requests.get();
    }

    /** Connections accepted. */
    public long connections() {
        return accepted.get();
    }

    /** How many times each message id came (requests without the header are not in it). */
    public Map<String, Integer> received() {
        return Map.copyOf(received);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                connections.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (manner == Manner.DROP_IDLE) {
                socket.setSoTimeout((int) idle.toMillis());
            }
            String messageId;
            while ((messageId = readRequest(in)) != null) {
                requests.incrementAndGet();
                if (!messageId.isEmpty()) {
                    received.merge(messageId, 1, Integer::sum);
                }
                String status = manner == Manner.HTTP_1_0 ? "HTTP/1.0 200 OK" : "HTTP/1.1 200 OK";
                out.write((status + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (manner != Manner.DROP_IDLE) {
                    return;
                }
            }
        } catch (SocketTimeoutException idleTooLong) {
            // DROP_IDLE: the connection stayed idle for too long; closed
        } catch (IOException gone) {
            // the client went away
        }
    }

    /**
     * Reads one request (head and Content-Length body): its message id ("" without one), or null at
     * the end of the stream before a request began.
     */
    private static String readRequest(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        long length = 0;
        String messageId = "";
        while (!(line = headerLine(in)).isEmpty()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith(MESSAGE_ID)) {
                messageId = line.substring(MESSAGE_ID.length()).trim();
            }
        }
        in.skipNBytes(length);
        return messageId;
    }

    private static String headerLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new IOException("request head cut short");
        }
        return line;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        if (line.length() == 0) {
            return null;
        }
        throw new IOException("request head cut short");
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
