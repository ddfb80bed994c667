package org.courier.ingest;

import jakarta.ejb.EJBException;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The rounds of an inbound channel's poller (SFTP directories, JMS queues): each round schedules the
 * next when it ends, a pause later, so that a round longer than the pause (a full directory or queue)
 * is never overlapped by the next, nor reported by the container as a skipped timer execution.
 */
public final class ChannelRounds {

    private static final Logger LOG = Logger.getLogger(ChannelRounds.class.getName());

    private ChannelRounds() {
    }

    /** Schedules the next round of {@code timers}' bean (non-persistent) after {@code pause}. */
    public static void next(TimerService timers, Duration pause, String name) {
        try {
            timers.createSingleActionTimer(pause.toMillis(), new TimerConfig(name, false));
        } catch (IllegalStateException | EJBException stopping) {
            LOG.fine(() -> name + ": no next round, Courier is stopping");
        }
    }
}
