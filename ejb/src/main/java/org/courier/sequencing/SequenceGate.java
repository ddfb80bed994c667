package org.courier.sequencing;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.courier.message.Delivery;
import org.courier.message.ReceivedMessage;

/**
 * Keeps in-order queues in order. Every method that changes a lane holds that lane's row
 * lock (SELECT … FOR UPDATE) for the rest of the caller's transaction, so a receipt and a
 * settlement of the same lane never interleave: either the receipt sees the lane idle and
 * dispatches its delivery itself, or the settlement sees the receipt's held delivery and
 * dispatches it. The caller dispatches what these methods return, in the same transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class SequenceGate {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    /**
     * Creates the queue and its lanes to these receivers where missing, in a transaction of
     * its own. Two first messages of a queue may race here: the loser's insert fails on the
     * unique key and it throws {@link QueueCreationCollided}; calling again finds the rows.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void prepare(String sender, String queueId, List<String> receivers) {
        try {
            InOrderQueue queue = find(sender, queueId).orElseGet(() -> create(new InOrderQueue(sender, queueId)));
            for (String receiver : receivers) {
                lane(queue, receiver, LockModeType.NONE).orElseGet(() -> create(new QueueLane(queue, receiver)));
            }
        } catch (PersistenceException e) {
            throw new QueueCreationCollided(e);
        }
    }

    /** Gives the message the next place in its queue. Holds the queue's lock until commit. */
    public void number(ReceivedMessage message) {
        InOrderQueue queue = lockedForReceipt(message);
        message.assignSequence(queue.nextSequence());
    }

    /**
     * Orders the message's new deliveries in their lanes: a delivery to an idle lane becomes
     * its head and is returned for dispatch; the others are held.
     */
    public List<Delivery> admit(ReceivedMessage message, List<Delivery> deliveries) {
        InOrderQueue queue = lockedForReceipt(message);
        List<Delivery> ready = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            QueueLane lane;
            try {
                lane = lane(queue, delivery.receiver(), LockModeType.PESSIMISTIC_WRITE).orElseThrow(() ->
                        new IllegalStateException("No lane of queue " + queue.queueId() + " to " + delivery.receiver()));
            } catch (PersistenceException locked) {
                throw new QueueBusy(message.sender() + "/" + message.queueId(), locked);
            }
            delivery.orderIn(lane.id(), message.sequenceNo());
            if (lane.isIdle()) {
                delivery.release();
                lane.headIs(delivery.id());
                ready.add(delivery);
            }
        }
        return ready;
    }

    /** The receipt's queue, locked; a lock that cannot be had is {@link QueueBusy}, not a system error. */
    private InOrderQueue lockedForReceipt(ReceivedMessage message) {
        try {
            return locked(message.sender(), message.queueId());
        } catch (PersistenceException locked) {
            throw new QueueBusy(message.sender() + "/" + message.queueId(), locked);
        }
    }

    /**
     * The settled delivery (delivered, cancelled, or failed under {@code SKIP}) leaves its lane;
     * the next held delivery becomes the head and is returned for dispatch.
     */
    public Optional<Delivery> advance(Delivery settled) {
        QueueLane lane = lockLane(settled.laneId());
        if (!lane.headDeliveryId().map(settled.id()::equals).orElse(false)) {
            return Optional.empty();
        }
        return promoteNext(lane);
    }

    /** After the last attempt failed: the lane moves on only if its queue's policy is {@code SKIP}. */
    public Optional<Delivery> afterGivingUp(Delivery failed) {
        QueueLane lane = lockLane(failed.laneId());
        return lane.queue().policy() == QueuePolicy.SKIP ? advance(failed) : Optional.empty();
    }

    /** Makes the lowest held delivery of a locked lane its head, or leaves the lane idle. */
    public Optional<Delivery> promoteNext(QueueLane lane) {
        Optional<Delivery> next = em.createNamedQuery(Delivery.NEXT_HELD_IN_LANE, Delivery.class)
                .setParameter("laneId", lane.id())
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
        next.ifPresentOrElse(d -> {
            d.release();
            lane.headIs(d.id());
        }, () -> lane.headIs(null));
        return next;
    }

    /** Changes a locked queue's policy. */
    public void changePolicy(InOrderQueue queue, QueuePolicy policy) {
        queue.changePolicy(policy);
    }

    public QueueLane lockLane(String laneId) {
        QueueLane lane = em.find(QueueLane.class, laneId, LockModeType.PESSIMISTIC_WRITE);
        if (lane == null) {
            throw new IllegalStateException("Lane " + laneId + " does not exist");
        }
        return lane;
    }

    public Optional<InOrderQueue> find(String sender, String queueId) {
        return em.createNamedQuery(InOrderQueue.BY_SENDER_AND_QUEUE_ID, InOrderQueue.class)
                .setParameter("sender", sender)
                .setParameter("queueId", queueId)
                .getResultStream()
                .findFirst();
    }

    public InOrderQueue locked(String sender, String queueId) {
        return em.createNamedQuery(InOrderQueue.BY_SENDER_AND_QUEUE_ID, InOrderQueue.class)
                .setParameter("sender", sender)
                .setParameter("queueId", queueId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Queue " + sender + "/" + queueId + " was not prepared"));
    }

    public List<QueueLane> lanes(InOrderQueue queue) {
        return em.createNamedQuery(QueueLane.OF_QUEUE, QueueLane.class).setParameter("queue", queue).getResultList();
    }

    public Optional<QueueLane> lane(InOrderQueue queue, String receiver, LockModeType lock) {
        return em.createNamedQuery(QueueLane.BY_QUEUE_AND_RECEIVER, QueueLane.class)
                .setParameter("queue", queue)
                .setParameter("receiver", receiver)
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }

    private <T> T create(T entity) {
        em.persist(entity);
        em.flush();
        return entity;
    }
}
