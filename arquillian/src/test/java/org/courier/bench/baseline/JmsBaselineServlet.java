package org.courier.bench.baseline;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The benchmark's baseline: {@code GET /courier-benchmark/jms?messages=N&threads=T&size=B}
 * sends N persistent messages of B bytes from T threads, one transaction each, and waits
 * until the MDB has taken them all. Answers {@code sent=<seconds> received=<seconds>}, both
 * counted from the first send. Runs inside the server, so no HTTP or SOAP is in the figure.
 */
@WebServlet("/jms")
public class JmsBaselineServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long PATIENCE_NANOS = TimeUnit.MINUTES.toNanos(10);

    @EJB
    private BaselineSender sender;

    @Inject
    private BaselineCounter counter;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int messages = Integer.parseInt(request.getParameter("messages"));
        int threads = Integer.parseInt(request.getParameter("threads"));
        byte[] body = new byte[Integer.parseInt(request.getParameter("size"))];
        counter.reset();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = messages / threads + (t < messages % threads ? 1 : 0);
                sends.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        sender.send(body);
                    }
                }));
            }
            for (Future<?> send : sends) {
                send.get(PATIENCE_NANOS, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("baseline send failed", e);
        } finally {
            pool.shutdownNow();
        }
        long sent = System.nanoTime() - start;
        while (counter.count() < messages) {
            if (System.nanoTime() - start > PATIENCE_NANOS) {
                throw new IOException("baseline consumer took " + counter.count() + " of " + messages + " messages");
            }
            pause();
        }
        long received = counter.lastNanos() - start;
        response.setContentType("text/plain");
        response.getWriter().printf("sent=%.3f received=%.3f%n", sent / 1e9, received / 1e9);
    }

    /** Waiting for the consumer to catch up; the figure is the time of its last message, not of this poll. */
    private static void pause() throws IOException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
