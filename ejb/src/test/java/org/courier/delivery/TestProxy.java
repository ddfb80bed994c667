package org.courier.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP proxy on a local port, small enough to read: a request with an absolute URI (for an
 * http receiver) goes on to the receiver on a connection of its own, a {@code CONNECT host:port}
 * (for an https receiver) opens a tunnel through which client and receiver speak TLS to each
 * other. It records the request line of everything it carried; it can also refuse every request
 * with a status of its choice, or answer none.
 */
public final class TestProxy implements AutoCloseable {

    private final ServerSocket server;
    /** The status every request is refused with, 0: none refused, -1: none answered. */
    private final int refusal;
    private final List<String> carried = new CopyOnWriteArrayList<>();
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-proxy");
        thread.setDaemon(true);
        return thread;
    });

    private TestProxy(int refusal, int port) throws IOException {
        this.refusal = refusal;
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptLoop);
    }

    /** A proxy that carries everything. */
    static TestProxy start() throws IOException {
        return new TestProxy(0, 0);
    }

    /** A proxy on this port that carries everything (shared with the integration tests). */
    public static TestProxy startOn(int port) throws IOException {
        return new TestProxy(0, port);
    }

    /** A proxy that answers every request, CONNECT or not, with {@code status} (407: it wants credentials). */
    static TestProxy refusing(int status) throws IOException {
        return new TestProxy(status, 0);
    }

    /** A proxy that reads every request and answers none. */
    static TestProxy silent() throws IOException {
        return new TestProxy(-1, 0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The request lines it carried to a receiver, in order. */
    public List<String> carried() {
        return List.copyOf(carried);
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            if (refusal == -1) {
                client.getInputStream().transferTo(OutputStream.nullOutputStream());
            } else if (refusal != 0) {
                client.getOutputStream().write(("HTTP/1.1 " + refusal + " Refused by test proxy\r\n"
                        + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } else if (parts[0].equals("CONNECT")) {
                tunnel(client, parts[1], requestLine);
            } else {
                forward(client, head, parts);
            }
        } catch (IOException e) {
            // the client or the receiver went away: nothing more to carry
        }
    }

    private void tunnel(Socket client, String hostAndPort, String requestLine) throws IOException {
        OutputStream toClient = client.getOutputStream();
        int colon = hostAndPort.lastIndexOf(':');
        try (Socket receiver = new Socket(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)))) {
            carried.add(requestLine.substring(0, requestLine.lastIndexOf(' ')));
            toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            toClient.flush();
            pump(client, receiver);
        }
    }

    /** The request, in origin form and with {@code Connection: close}, then the receiver's bytes back until it closes. */
    private void forward(Socket client, String head, String[] requestLine) throws IOException {
        URI target = URI.create(requestLine[1]);
        try (Socket receiver = new Socket(target.getHost(), target.getPort())) {
            carried.add(requestLine[0] + " " + requestLine[1]);
            StringBuilder forwarded = new StringBuilder(requestLine[0] + " " + target.getRawPath() + " " + requestLine[2] + "\r\n");
            head.lines().skip(1).filter(line -> !line.isEmpty())
                    .filter(line -> !line.regionMatches(true, 0, "Connection:", 0, 11)
                            && !line.regionMatches(true, 0, "Proxy-Connection:", 0, 17))
                    .forEach(line -> forwarded.append(line).append("\r\n"));
            forwarded.append("Connection: close\r\n\r\n");
            receiver.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
            pump(client, receiver);
        }
    }

    /** Bytes both ways until either side closes. */
    private void pump(Socket client, Socket receiver) throws IOException {
        connections.execute(() -> {
            try {
                client.getInputStream().transferTo(receiver.getOutputStream());
            } catch (IOException e) {
                // either side closed
            }
        });
        receiver.getInputStream().transferTo(client.getOutputStream());
    }

    /** The request line and headers, read byte by byte so that nothing of the body is taken. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
