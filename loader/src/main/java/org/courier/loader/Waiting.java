package org.courier.loader;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/** How the sender waits: for a sending thread to finish, and between two tries of one message. */
final class Waiting {

    private Waiting() {
    }

    /** The pause before try {@code retry} (1, 2, ...) of a message: 250 ms, doubling, at most 8 s. */
    static Duration beforeRetry(int retry) {
        return Duration.ofMillis(Math.min(250L << Math.min(retry - 1, 5), 8000));
    }

    static void join(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Until {@link System#nanoTime()} reaches {@code nanoTime}; at once if it has. */
    static void until(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted");
            }
        }
    }

    static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
