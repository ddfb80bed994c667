package org.courier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CourierCountersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeTransactions transactions = new FakeTransactions();
    private final CourierCounters counters = new CourierCounters(registry, transactions);

    @Test
    void workOutsideATransactionHasCommittedAlreadyAndCountsAtOnce() {
        transactions.status = Status.STATUS_NO_TRANSACTION;
        counters.accepted("Orders");
        counters.duplicate("Orders");
        assertThat(count(CourierCounters.ACCEPTED, "interface", "Orders")).isEqualTo(1);
        assertThat(count(CourierCounters.DUPLICATES, "interface", "Orders")).isEqualTo(1);
    }

    @Test
    void workInATransactionCountsOnlyWhenItCommits() {
        transactions.status = Status.STATUS_ACTIVE;
        counters.delivered("alpha");
        counters.attemptFailed("beta", true);
        assertThat(count(CourierCounters.DELIVERED, "receiver", "alpha")).isZero();

        transactions.complete(Status.STATUS_COMMITTED);
        assertThat(count(CourierCounters.DELIVERED, "receiver", "alpha")).isEqualTo(1);
        assertThat(count(CourierCounters.ATTEMPTS_FAILED, "receiver", "beta")).isEqualTo(1);
        assertThat(count(CourierCounters.FAILED, "receiver", "beta")).isEqualTo(1);
    }

    @Test
    void workRolledBackOrMarkedForRollbackIsNeverCounted() {
        transactions.status = Status.STATUS_ACTIVE;
        counters.delivered("alpha");
        transactions.complete(Status.STATUS_ROLLEDBACK);
        transactions.status = Status.STATUS_MARKED_ROLLBACK;
        counters.delivered("alpha");
        transactions.complete(Status.STATUS_ROLLEDBACK);
        assertThat(count(CourierCounters.DELIVERED, "receiver", "alpha")).isZero();
    }

    @Test
    void aFailedAttemptThatIsRetriedDoesNotCountAsAFailedDelivery() {
        transactions.status = Status.STATUS_NO_TRANSACTION;
        counters.attemptFailed("beta", false);
        assertThat(count(CourierCounters.ATTEMPTS_FAILED, "receiver", "beta")).isEqualTo(1);
        assertThat(registry.find(CourierCounters.FAILED).functionCounter()).isNull();
    }

    @Test
    void configuredInterfacesAndReceiversAreScrapedAtZeroBeforeAnyTraffic() {
        counters.registerAll(List.of("Orders"), Set.of("alpha"));
        assertThat(count(CourierCounters.ACCEPTED, "interface", "Orders")).isZero();
        assertThat(count(CourierCounters.FAILED, "receiver", "alpha")).isZero();
    }

    private double count(String name, String tag, String value) {
        FunctionCounter counter = registry.find(name).tag(tag, value).functionCounter();
        assertThat(counter).as(name + " " + value).isNotNull();
        return counter.count();
    }

    /** The one transaction of a test: its status, and its synchronizations run by {@link #complete}. */
    private static final class FakeTransactions implements TransactionSynchronizationRegistry {

        int status = Status.STATUS_NO_TRANSACTION;
        private final List<Synchronization> synchronizations = new ArrayList<>();

        void complete(int outcome) {
            synchronizations.forEach(s -> s.afterCompletion(outcome));
            synchronizations.clear();
        }

        @Override
        public int getTransactionStatus() {
            return status;
        }

        @Override
        public void registerInterposedSynchronization(Synchronization sync) {
            synchronizations.add(sync);
        }

        @Override
        public Object getTransactionKey() {
            return status == Status.STATUS_NO_TRANSACTION ? null : this;
        }

        @Override
        public void putResource(Object key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object getResource(Object key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRollbackOnly() {
            status = Status.STATUS_MARKED_ROLLBACK;
        }

        @Override
        public boolean getRollbackOnly() {
            return status == Status.STATUS_MARKED_ROLLBACK;
        }
    }
}
