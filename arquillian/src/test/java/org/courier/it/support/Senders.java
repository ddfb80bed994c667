package org.courier.it.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Senders as the tests need them: a number of messages sent at once ({@link #atOnce}), or senders
 * that go on sending new messages until stopped ({@link #underLoad}), as a crash suite's load
 * across a kill -9: each message's id is either acknowledged or, when its send got no answer (the
 * kill), unknown; a real sender sends the unknown ones again with the same id
 * ({@link UnderLoad#resendUnknown}).
 */
public final class Senders {

    private Senders() {
    }

    /**
     * Sends {@code count} messages from 8 threads at once, ids made by {@code idOf(n)}; the ids, in
     * the order they were made. A send that throws fails the call.
     */
    public static List<String> atOnce(int count, IntFunction<String> idOf, Consumer<String> send) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                sent.add(pool.submit(() -> {
                    String id = idOf.apply(n);
                    send.accept(id);
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> id : sent) {
                ids.add(id.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** Starts {@code threads} senders, each sending message after message, ids made by {@code idOf(n)} with n counting up. */
    public static UnderLoad underLoad(int threads, IntFunction<String> idOf, Consumer<String> send) {
        return new UnderLoad(threads, idOf, send);
    }

    /** Senders sending until stopped: what was acknowledged, and what is unknown (the send had no answer). */
    public static final class UnderLoad {

        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final Set<String> unknown = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool;
        private final List<Future<?>> loops = new ArrayList<>();
        private final Consumer<String> send;

        private UnderLoad(int threads, IntFunction<String> idOf, Consumer<String> send) {
            this.send = send;
            this.pool = Executors.newFixedThreadPool(threads);
            AtomicInteger numbers = new AtomicInteger();
            for (int i = 0; i < threads; i++) {
                loops.add(pool.submit(() -> {
                    while (running.get()) {
                        String id = idOf.apply(numbers.incrementAndGet());
                        try {
                            send.accept(id);
                            acknowledged.add(id);
                        } catch (RuntimeException noAnswer) {
                            unknown.add(id);
                        }
                    }
                }));
            }
        }

        /** The acknowledged ids (a live view while the senders run). */
        public Set<String> acknowledged() {
            return acknowledged;
        }

        /** The ids whose send had no answer, and not yet resent. */
        public Set<String> unknown() {
            return unknown;
        }

        /** Stops the senders and waits for each to end its last send. */
        public void stop() throws InterruptedException, ExecutionException {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            pool.shutdown();
        }

        /**
         * Sends every unknown id again until acknowledged, as a real sender does: a receipt the kill
         * left in doubt keeps its unique key locked until transaction recovery resolves it, and is
         * answered TEMPORARILY_UNAVAILABLE until then. Returns how many there were.
         */
        public int resendUnknown(Duration deadline) {
            int resent = unknown.size();
            for (String id : unknown) {
                await().atMost(deadline).ignoreExceptions().until(() -> {
                    send.accept(id);
                    return true;
                });
                acknowledged.add(id);
            }
            return resent;
        }
    }
}
