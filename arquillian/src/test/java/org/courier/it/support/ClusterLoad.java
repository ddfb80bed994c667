package org.courier.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.courier.it.support.CourierClient.Acknowledgement;

/**
 * The cluster tests' load, through the balancer, from senders that behave as real ones: without an
 * answer (refused, reset, timed out, a retryable fault) a message is sent again with the same id
 * until it is acknowledged; an in-order sender sends a queue's next message only after the previous
 * one was acknowledged. Four in-order senders of three queues each to interface {@code Crash} (an
 * idempotent receiver), two senders of single messages to {@code FragileStatus} (a non-idempotent
 * one, in doubt: hold, with a status URL).
 */
public final class ClusterLoad implements AutoCloseable {

    private static final int IN_ORDER_SENDERS = 4;
    private static final int QUEUES_PER_SENDER = 3;
    private static final int FRAGILE_SENDERS = 2;
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private final CourierClient courier;
    private final String sender;
    private final Map<String, Acknowledgement> acknowledged = new ConcurrentHashMap<>();
    private final Set<String> fragileIds = ConcurrentHashMap.newKeySet();
    private final List<String> queues = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads = Executors.newFixedThreadPool(IN_ORDER_SENDERS + FRAGILE_SENDERS);
    private final List<Future<?>> loops = new ArrayList<>();

    private ClusterLoad(CourierClient courier, String sender) {
        this.courier = courier;
        this.sender = sender;
    }

    /** Starts the senders; they send until {@link #stop()}. */
    public static ClusterLoad start(CourierClient courier, String sender) {
        ClusterLoad load = new ClusterLoad(courier, sender);
        load.begin();
        return load;
    }

    private void begin() {
        for (int s = 0; s < IN_ORDER_SENDERS; s++) {
            List<String> own = new ArrayList<>();
            for (int q = 0; q < QUEUES_PER_SENDER; q++) {
                own.add(newQueueId());
            }
            queues.addAll(own);
            loops.add(threads.submit(() -> {
                for (long n = 1; running.get(); n++) {
                    for (String queueId : own) {
                        String id = queueId + "-" + n;
                        acknowledged.put(id, untilAcknowledged(id,
                                () -> courier.sendInOrder(sender, "Crash", id, queueId, order(queueId, id))));
                    }
                }
                return null;
            }));
        }
        for (int s = 0; s < FRAGILE_SENDERS; s++) {
            loops.add(threads.submit(() -> {
                while (running.get()) {
                    String id = UUID.randomUUID().toString();
                    Acknowledgement ack = untilAcknowledged(id, () -> courier.send(sender, "FragileStatus", id,
                            "<order xmlns=\"urn:example:orders\"><id>" + id + "</id></order>"));
                    fragileIds.add(id);
                    acknowledged.put(id, ack);
                }
                return null;
            }));
        }
    }

    public String sender() {
        return sender;
    }

    /** Every message acknowledged so far, by id. */
    public Map<String, Acknowledgement> acknowledged() {
        return acknowledged;
    }

    /** The ids sent to the non-idempotent receiver and acknowledged. */
    public Set<String> fragileIds() {
        return fragileIds;
    }

    /** The in-order queues of the load. */
    public List<String> queues() {
        return queues;
    }

    /** The ids sent in order and acknowledged. */
    public Set<String> inOrderIds() {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        acknowledged.values().stream().filter(ack -> ack.queueId() != null).forEach(ack -> ids.add(ack.messageId()));
        return ids;
    }

    /** Stops sending; returns once every sender finished its message in hand (acknowledged). */
    public void stop() throws Exception {
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Per queue, the receiver's first deliveries carry the sequences acceptance gave, in order. */
    public void assertInOrderAt(TestReceiver receiver) {
        ReceiverLedger ledger = ReceiverLedger.of(receiver);
        for (String queueId : queues) {
            List<Long> expected = acknowledged.values().stream()
                    .filter(ack -> queueId.equals(ack.queueId())).map(Acknowledgement::sequence).sorted().toList();
            assertThat(ledger.sequences(sender, queueId)).as("queue " + queueId + " at the receiver").isEqualTo(expected);
        }
    }

    /** Each message to the non-idempotent receiver arrived exactly once. */
    public void assertEachOnceAt(TestReceiver fragile) {
        assertThat(fragileIds).allSatisfy(id -> assertThat(fragile.attempts(id)).as("attempts of " + id).isEqualTo(1));
    }

    private Acknowledgement untilAcknowledged(String id, Supplier<Acknowledgement> send) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                Acknowledgement ack = send.get();
                if ("ACCEPTED".equals(ack.result()) || "DUPLICATE".equals(ack.result())) {
                    return ack;
                }
                throw new AssertionError("unexpected acknowledgement " + ack);
            } catch (CourierFaultException fault) {
                if (!fault.retryable()) {
                    throw fault;
                }
            } catch (RuntimeException noAnswer) {
                // refused, reset, timed out: the node that had the request was killed
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no acknowledgement for " + id + " within " + PATIENCE);
            }
            pauseBeforeRetry();
        }
    }

    /** A sender's pause before it sends an unanswered message again: load shaping, not synchronisation. */
    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        threads.shutdownNow();
    }
}
