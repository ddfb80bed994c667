package org.courier.delivery;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The node's places for deliveries attempted and not yet committed: {@value #PROPERTY}, by
 * default as many as the delivery sessions ({@value ReceiverSlots#PARALLEL}, 16), however the
 * deliveries are grouped in transactions ({@link DeliveryBatch}). A kill -9 can leave at most that
 * many deliveries sent and not recorded (sent again to an idempotent receiver, in doubt at a
 * non-idempotent one). A transaction takes further deliveries only into places that are free:
 * with the default, as when every transaction settled one delivery; raised, a backlog is carried
 * by fewer, larger transactions, and a crash may leave up to that many to settle again.
 *
 * <p>Invariant: a delivery transaction holds a place for each delivery it attempts, from before
 * the attempt until the transaction has completed (committed or rolled back); the places are
 * given back by a synchronization of the transaction, whatever ends it.
 */
@ApplicationScoped
public class AttemptsInFlight {

    static final String PROPERTY = "courier.delivery.in-flight";

    private Semaphore places;
    private Consumer<Synchronization> atCompletion;

    @Resource(lookup = "java:jboss/TransactionSynchronizationRegistry")
    private TransactionSynchronizationRegistry transactions;

    /** For CDI. */
    public AttemptsInFlight() {
    }

    AttemptsInFlight(int places, Consumer<Synchronization> atCompletion) {
        this.places = new Semaphore(places);
        this.atCompletion = atCompletion;
    }

    @PostConstruct
    void start() {
        if (places == null) {
            places = new Semaphore(Integer.getInteger(PROPERTY,
                    Integer.getInteger(ReceiverSlots.PARALLEL, ReceiverSlots.DEFAULT_PARALLEL)));
            atCompletion = transactions::registerInterposedSynchronization;
        }
    }

    /** The current transaction's places, none taken yet; given back when it completes. */
    public Held hold() {
        Held held = new Held();
        atCompletion.accept(held);
        return held;
    }

    /** Places free now (for tests and diagnostics). */
    int free() {
        return places.availablePermits();
    }

    /** The places one transaction holds. */
    public final class Held implements Synchronization {

        private int count;

        private Held() {
        }

        /** Waits for a place for the transaction's first delivery: one is free as soon as another transaction completes. */
        public void first() {
            places.acquireUninterruptibly();
            count++;
        }

        /** A place for a further delivery if one is free now; never waits. */
        public boolean another() {
            if (!places.tryAcquire()) {
                return false;
            }
            count++;
            return true;
        }

        /** Gives back a place taken by {@link #another()} that no delivery used. */
        public void unused() {
            if (count > 0) {
                count--;
                places.release();
            }
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            int taken = count;
            count = 0;
            places.release(taken);
        }
    }
}
