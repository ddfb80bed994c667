package org.courier.web.sample;

import org.courier.content.XmlPayload;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Logger;

/**
 * A receiver for trying Courier out: logs every message it gets (POST) and lists the last
 * ones (GET {@code /courier/sample-receiver}). It says when it sees a message id again, as
 * an idempotent receiver would notice a redelivery.
 *
 * <p>It also shows the status URL a non-idempotent receiver can offer:
 * {@code GET /courier/sample-receiver/status} with the headers {@code Courier-Sender} and
 * {@code Courier-Message-Id} answers 200 if it got that message and 404 if not, so Courier can
 * settle an in-doubt delivery by itself. (It remembers in memory only, so forgets at a restart;
 * a real receiver answers from the store where it keeps what it processed.)
 */
@WebServlet({"/sample-receiver", "/sample-receiver/status"})
public class SampleReceiverServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(SampleReceiverServlet.class.getName());
    private static final int KEPT = 50;

    private final Deque<String> lastReceived = new ConcurrentLinkedDeque<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String messageId = request.getHeader("Courier-Message-Id");
        String sender = request.getHeader("Courier-Sender");
        String payload = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String key = sender + "/" + messageId;
        boolean seenBefore = !received.add(key);
        String line = key + " (" + request.getHeader("Courier-Interface") + "): " + payload;
        LOG.info(() -> "Sample receiver got " + line + (seenBefore ? "  [seen before: a redelivery]" : ""));
        lastReceived.addFirst(line);
        while (lastReceived.size() > KEPT) {
            lastReceived.pollLast();
        }
        // a synchronous (Best Effort) call returns this answer to its sender; a delivery ignores it
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/xml;charset=UTF-8");
        response.getWriter().print("<received xmlns=\"urn:courier:sample\" messageId=\"" + XmlPayload.escape(String.valueOf(messageId))
                + "\" at=\"" + Instant.now() + "\" seenBefore=\"" + seenBefore + "\"/>");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().endsWith("/status")) {
            String key = request.getHeader("Courier-Sender") + "/" + request.getHeader("Courier-Message-Id");
            response.setStatus(received.contains(key) ? HttpServletResponse.SC_OK : HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("Last " + lastReceived.size() + " messages received (newest first):");
        for (String line : lastReceived) {
            response.getWriter().println(line);
        }
    }
}
