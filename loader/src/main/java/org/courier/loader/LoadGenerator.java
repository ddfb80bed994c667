package org.courier.loader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.courier.loader.SoapSender.Message;
import org.courier.loader.SoapSender.Outcome;

/**
 * Generates load as real senders would: {@code messages} messages of exactly
 * {@code payloadBytes} bytes from {@code threads} senders at once, each waiting for its
 * acknowledgement before the next send ({@link #run}), or at a fixed rate whatever the
 * answers ({@link #runAtRate}). Message ids are {@code idPrefix-NNNNNNNN}, so a second
 * run with the same prefix sends the same ids (and measures the duplicate check).
 *
 * <p>In order ({@code queues > 0}): the messages are spread evenly over the queues
 * {@code idPrefix-Q0001}…, each queue owned by one thread, which sends a queue's next message
 * only after the previous one was acknowledged — so 1 queue means 1 sender at a time, whatever
 * the thread count. A send without an answer or with a retryable fault is sent again with the
 * same id (up to {@code retries}); the time of the acknowledged send is its latency.
 *
 * <p>With {@code batch > 1} each thread sends its next {@code batch} messages in one
 * {@code sendBatch} call (an in-order queue's messages in order: Courier numbers them in
 * batch order and refuses a queue's later messages once one is refused, so sending the refused
 * ones again keeps the order).
 */
public final class LoadGenerator {

    private final SoapSender sender;
    private final int retries;

    public LoadGenerator(SoapSender sender, int retries) {
        this.sender = sender;
        this.retries = retries;
    }

    /** Runs the plan to its end; {@code progress} sees the counts so far (no latencies) after each message. */
    public Report run(Plan plan, Consumer<Report> progress) {
        Recorder recorder = new Recorder(plan.messages());
        List<List<Integer>> work = plan.work();
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        long started = System.nanoTime();
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (List<Integer> numbers : work) {
                senders.add(pool.submit(() -> {
                    for (int from = 0; from < numbers.size(); from += plan.batch()) {
                        for (Sent sent : sendTogether(plan, numbers.subList(from, Math.min(numbers.size(), from + plan.batch())))) {
                            recorder.add(sent);
                        }
                        progress.accept(recorder.counts(System.nanoTime() - started));
                    }
                }));
            }
            for (Future<?> s : senders) {
                Waiting.join(s);
            }
        } finally {
            pool.shutdownNow();
        }
        return recorder.report(System.nanoTime() - started);
    }

    /**
     * Open loop: message {@code n} is due {@code n / perSecond} seconds after the start, whether or
     * not the ones before were answered, and is sent by one of {@code plan.threads()} senders (a
     * message due while all are busy waits for one). Each latency runs from the time the message
     * was due to its acknowledgement, so a backlog shows in the latencies; a closed loop (each
     * sender waiting for its answer, {@link #run}) sends slower when Courier is slower and hides
     * it. Exactly Once, one message per {@code send}.
     */
    public Report runAtRate(Plan plan, double perSecond, Consumer<Report> progress) {
        if (plan.inOrder() || plan.batch() > 1) {
            throw new IllegalArgumentException("a fixed rate goes with Exactly Once, one message per send");
        }
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("the rate must be above 0 messages per second, not " + perSecond);
        }
        Recorder recorder = new Recorder(plan.messages());
        ExecutorService pool = Executors.newFixedThreadPool(plan.threads());
        long started = System.nanoTime();
        try {
            List<Future<?>> sends = new ArrayList<>(plan.messages());
            for (int n = 0; n < plan.messages(); n++) {
                long due = started + Math.round(n * 1e9 / perSecond);
                Waiting.until(due);
                int number = n;
                sends.add(pool.submit(() -> {
                    for (Sent sent : sendTogether(plan, List.of(number))) {
                        recorder.add(new Sent(sent.outcome(), System.nanoTime() - due));
                    }
                    progress.accept(recorder.counts(System.nanoTime() - started));
                }));
            }
            for (Future<?> send : sends) {
                Waiting.join(send);
            }
        } finally {
            pool.shutdownNow();
        }
        return recorder.report(System.nanoTime() - started);
    }

    /**
     * Sends these messages in one call ({@code send} for one, {@code sendBatch} for more) and
     * sends those again whose answer says so, with the same ids; each message's latency is the
     * time of the call that answered it for good.
     */
    private List<Sent> sendTogether(Plan plan, List<Integer> numbers) {
        List<Message> pending = numbers.stream().map(plan::message).toList();
        List<Sent> done = new ArrayList<>();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                Waiting.pause(Waiting.beforeRetry(attempt));
            }
            long start = System.nanoTime();
            List<Outcome> outcomes = pending.size() == 1 && plan.batch() == 1
                    ? List.of(sender.send(pending.get(0)))
                    : sender.sendBatch(pending);
            long nanos = System.nanoTime() - start;
            List<Message> again = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                if (outcomes.get(i).worthRetrying() && attempt < retries) {
                    again.add(pending.get(i));
                } else {
                    done.add(new Sent(outcomes.get(i), nanos));
                }
            }
            pending = again;
        }
        return done;
    }

    /** What to send. {@code queues} 0 means Exactly Once; more means Exactly Once In Order over that many queues. */
    public record Plan(String sender, String interfaceName, String idPrefix, int messages, int threads,
                       int payloadBytes, int queues, int batch) {

        /** The smallest payload the generator can build: the element, its id and no filler. */
        public static final int MIN_PAYLOAD_BYTES = 128;

        public Plan {
            if (messages < 1 || threads < 1 || queues < 0 || batch < 1) {
                throw new IllegalArgumentException("messages, threads and batch must be at least 1, queues at least 0");
            }
            if (payloadBytes < MIN_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("payload size must be at least " + MIN_PAYLOAD_BYTES + " bytes");
            }
        }

        /** One message per {@code send} call and per thread at a time. */
        public Plan(String sender, String interfaceName, String idPrefix, int messages, int threads, int payloadBytes,
                    int queues) {
            this(sender, interfaceName, idPrefix, messages, threads, payloadBytes, queues, 1);
        }

        public boolean inOrder() {
            return queues > 0;
        }

        public String messageId(int n) {
            return String.format("%s-%08d", idPrefix, n);
        }

        /** Message {@code n} (0-based) goes to queue {@code n % queues}: consecutive numbers of a queue keep their order. */
        public String queueId(int n) {
            return inOrder() ? String.format("Q%04d", n % queues) : null;
        }

        Message message(int n) {
            String id = messageId(n);
            return new Message(sender, interfaceName, id, inOrder() ? "ExactlyOnceInOrder" : "ExactlyOnce",
                    queueId(n), payload(id, payloadBytes));
        }

        /**
         * What each sender thread sends, in order. Exactly Once: messages dealt round robin.
         * In order: all messages of a queue go to the one thread owning it (queue q → thread
         * q mod threads), so a queue is never sent by two threads; never more threads than queues.
         */
        List<List<Integer>> work() {
            int owners = inOrder() ? Math.min(threads, queues) : threads;
            List<List<Integer>> work = new ArrayList<>();
            for (int t = 0; t < owners; t++) {
                work.add(new ArrayList<>());
            }
            for (int n = 0; n < messages; n++) {
                int owner = inOrder() ? (n % queues) % owners : n % owners;
                work.get(owner).add(n);
            }
            return work;
        }

        /** A payload of exactly {@code bytes} UTF-8 bytes that carries the message id. */
        static String payload(String id, int bytes) {
            String head = "<load xmlns=\"urn:courier:load\"><id>" + SoapSender.escape(id) + "</id><fill>";
            String tail = "</fill></load>";
            int filler = bytes - head.length() - tail.length();
            if (filler < 0 || !id.chars().allMatch(c -> c < 128)) {
                throw new IllegalArgumentException("message id " + id + " does not fit a payload of " + bytes + " bytes");
            }
            return head + "x".repeat(filler) + tail;
        }
    }

    private record Sent(Outcome outcome, long nanos) {
    }

    /** Collects outcomes and the latency of each acknowledged send. */
    private static final class Recorder {

        private final long[] latencies;
        private int acknowledged;
        private int accepted;
        private int duplicates;
        private int faults;
        private int unanswered;
        private String firstProblem;

        Recorder(int messages) {
            this.latencies = new long[messages];
        }

        synchronized void add(Sent sent) {
            Outcome outcome = sent.outcome();
            switch (outcome.kind()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                case FAULT -> faults++;
                case NO_ANSWER -> unanswered++;
            }
            if (outcome.acknowledged()) {
                latencies[acknowledged++] = sent.nanos();
            } else if (firstProblem == null) {
                firstProblem = outcome.faultCode() == null ? "no answer: " + outcome.detail()
                        : outcome.faultCode() + ": " + outcome.detail();
            }
        }

        synchronized Report counts(long elapsedNanos) {
            return new Report(accepted, duplicates, faults, unanswered, Duration.ofNanos(elapsedNanos), new long[0],
                    firstProblem);
        }

        synchronized Report report(long elapsedNanos) {
            return new Report(accepted, duplicates, faults, unanswered, Duration.ofNanos(elapsedNanos),
                    Arrays.copyOf(latencies, acknowledged), firstProblem);
        }
    }

    /** The outcome of a run (or of its part so far). Latencies in nanoseconds, of acknowledged sends. */
    public record Report(int accepted, int duplicates, int faults, int unanswered, Duration elapsed,
                         long[] latencies, String firstProblem) {

        public int done() {
            return accepted + duplicates + faults + unanswered;
        }

        public int acknowledged() {
            return accepted + duplicates;
        }

        /** Acknowledgements per second. */
        public double perSecond() {
            return acknowledged() / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }

        /** The latency below which {@code percent} % of the acknowledged sends stayed (nearest rank). */
        public Duration latency(double percent) {
            if (latencies.length == 0) {
                return Duration.ZERO;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
            return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
        }

        public String summary() {
            return String.format("%d messages: %d accepted, %d duplicates, %d faults, %d without answer in %.1f s:"
                            + " %.0f acknowledged/s, latency median %.1f ms, p99 %.1f ms",
                    done(), accepted, duplicates, faults, unanswered, elapsed.toMillis() / 1000.0, perSecond(),
                    latency(50).toNanos() / 1e6, latency(99).toNanos() / 1e6)
                    + (firstProblem == null ? "" : System.lineSeparator() + "  first problem: " + firstProblem);
        }
    }
}
