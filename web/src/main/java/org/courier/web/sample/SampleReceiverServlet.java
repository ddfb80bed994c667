package org.courier.web.sample;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Logger;

/**
 * A receiver for trying Courier out: logs every message it gets (POST) and lists the last
 * ones (GET {@code /courier/sample-receiver}). It says when it sees a message id again, as
 * an idempotent receiver would notice a redelivery.
 */
@WebServlet("/sample-receiver")
public class SampleReceiverServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(SampleReceiverServlet.class.getName());
    private static final int KEPT = 50;

    private final Deque<String> lastReceived = new ConcurrentLinkedDeque<>();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String messageId = request.getHeader("Courier-Message-Id");
        String sender = request.getHeader("Courier-Sender");
        String payload = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String key = sender + "/" + messageId;
        boolean seenBefore = lastReceived.stream().anyMatch(line -> line.startsWith(key + " "));
        String line = key + " (" + request.getHeader("Courier-Interface") + "): " + payload;
        LOG.info(() -> "Sample receiver got " + line + (seenBefore ? "  [seen before: a redelivery]" : ""));
        lastReceived.addFirst(line);
        while (lastReceived.size() > KEPT) {
            lastReceived.pollLast();
        }
        response.setStatus(HttpServletResponse.SC_OK);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("Last " + lastReceived.size() + " messages received (newest first):");
        for (String line : lastReceived) {
            response.getWriter().println(line);
        }
    }
}
