package org.courier.jmsin;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.EJBTransactionRolledbackException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.courier.ingest.ChannelRounds;
import org.courier.message.Causes;
import org.courier.routing.JmsChannel;
import org.courier.routing.RoutingTable;

/**
 * Takes the messages of the inbound JMS channels ({@code <jms-channel>}) into Courier: a second
 * after each round, for each channel, transactions of {@link JmsChannelTake} one after the other until its
 * queue is empty (or a take is held back). Every node consumes; the broker gives each message to
 * one consumer, and two nodes that both get one after a failure store it once (the receipt's
 * unique key). In order, the channel's queue must be exclusive on the broker (one consumer at a
 * time), so that the messages are stored in the queue's order.
 *
 * <p>A channel whose broker cannot be reached, or whose takes are held back (Courier busy), logs one
 * line when that starts and one when it ends.
 */
@Singleton
@Startup
@DependsOn("RoutingTable")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class JmsChannelConsumer {

    static final long TICK_MILLIS = 1000;
    /** The most takes of one channel in a tick, so that one busy queue leaves the others their turn. */
    static final int TAKES_PER_TICK = 20;

    private static final Logger LOG = Logger.getLogger(JmsChannelConsumer.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private RoutingTable routing;

    @EJB
    private JmsChannelTake take;

    /** The trouble each channel is in, as last logged. */
    private final Map<String, String> troubles = new ConcurrentHashMap<>();

    @PostConstruct
    void schedule() {
        next();
    }

    /**
     * One round over the channels, then the next a second after it ends: a round that takes longer
     * than a second (a full queue) is never overlapped by the next, nor logged as skipped.
     */
    @Timeout
    void tick() {
        try {
            for (JmsChannel channel : routing.configuration().jmsChannels()) {
                consume(channel);
            }
        } finally {
            next();
        }
    }

    private void next() {
        ChannelRounds.next(timers, Duration.ofMillis(TICK_MILLIS), "courier-jms-channels");
    }

    private void consume(JmsChannel channel) {
        String trouble = null;
        try {
            for (int takes = 0; takes < TAKES_PER_TICK; takes++) {
                JmsChannelTake.Taken taken = take.take(channel);
                if (taken.holdBack() != null) {
                    trouble = taken.holdBack();
                    break;
                }
                if (taken.count() < JmsChannelTake.BATCH) {
                    break;
                }
            }
        } catch (NamingException e) {
            trouble = e.getMessage();
        } catch (EJBTransactionRolledbackException e) {
            // the broker went away mid-take: rolled back, nothing lost; the next round says what the broker says
            trouble = "nothing taken from " + channel.source() + ": its transaction was rolled back";
        } catch (EJBException e) {
            // unexpected (the take's own failures come back as a hold-back): the take rolled back, nothing lost;
            // caught so that the round never fails and its timer is not run a second time
            trouble = "nothing taken from " + channel.source() + ": " + Causes.reason(e);
        }
        String before = trouble == null ? troubles.remove(channel.name()) : troubles.put(channel.name(), trouble);
        if (trouble != null && !trouble.equals(before)) {
            LOG.warning("JMS channel " + channel.name() + ": " + trouble + " (tried again every " + TICK_MILLIS / 1000 + " s)");
        } else if (trouble == null && before != null) {
            LOG.info("JMS channel " + channel.name() + ": takes messages from " + channel.source() + " again");
        }
    }
}
