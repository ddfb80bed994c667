package org.courier.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthBookTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private final HealthBook book = new HealthBook();

    @Test
    void aReceiverNeverSeenIsUpAndHoldsNothing() {
        assertThat(book.holds("erp")).isFalse();
        assertThat(book.condition("erp", 0).state()).isEqualTo(HealthState.UP);
        assertThat(book.unsaved()).isEmpty();
    }

    @Test
    void failuresInARowMakeItFailingThenDownAtTheThreshold() {
        assertThat(book.failed("erp", 3, "HTTP 500", T0).map(HealthBook.Change::to)).contains(HealthState.FAILING);
        assertThat(book.failed("erp", 3, "HTTP 500", T0.plusSeconds(1))).isEmpty();
        assertThat(book.holds("erp")).isFalse();
        Optional<HealthBook.Change> down = book.failed("erp", 3, "connection refused", T0.plusSeconds(2));
        assertThat(down.map(HealthBook.Change::to)).contains(HealthState.DOWN);
        assertThat(book.holds("erp")).isTrue();
        ReceiverCondition condition = book.condition("erp", 7);
        assertThat(condition.failures()).isEqualTo(3);
        assertThat(condition.lastError()).isEqualTo("connection refused");
        assertThat(condition.since()).isEqualTo(T0.plusSeconds(2));
        assertThat(condition.waiting()).isEqualTo(7);
        assertThat(book.unsaved()).extracting(ReceiverCondition::state).containsExactly(HealthState.DOWN);
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        book.failed("erp", 3, "HTTP 500", T0);
        book.failed("erp", 3, "HTTP 500", T0);
        assertThat(book.succeeded("erp", T0.plusSeconds(1)).map(HealthBook.Change::to)).contains(HealthState.UP);
        book.failed("erp", 3, "HTTP 500", T0.plusSeconds(2));
        book.failed("erp", 3, "HTTP 500", T0.plusSeconds(3));
        assertThat(book.holds("erp")).isFalse();
        assertThat(book.unsaved()).as("UP and FAILING are this node's view only").isEmpty();
    }

    @Test
    void thresholdBelowOneNeverMakesItDown() {
        for (int i = 0; i < 1000; i++) {
            book.failed("erp", -1, "HTTP 500", T0);
        }
        assertThat(book.holds("erp")).isFalse();
        assertThat(book.condition("erp", 0).state()).isEqualTo(HealthState.FAILING);
    }

    @Test
    void aSuccessAfterDownBringsItUpAndThatIsShared() {
        book.failed("erp", 1, "HTTP 503", T0);
        book.saved(book.unsaved().get(0));
        assertThat(book.unsaved()).isEmpty();
        HealthBook.Change up = book.succeeded("erp", T0.plusSeconds(30)).orElseThrow();
        assertThat(up.from()).isEqualTo(HealthState.DOWN);
        assertThat(book.holds("erp")).isFalse();
        assertThat(book.condition("erp", 0).lastError()).isNull();
        assertThat(book.unsaved()).extracting(ReceiverCondition::state).containsExactly(HealthState.UP);
    }

    @Test
    void maintenanceHoldsUntilAnOperatorResumesNotUntilASuccess() {
        assertThat(book.maintenance("erp", "alice", T0).map(HealthBook.Change::to)).contains(HealthState.MAINTENANCE);
        assertThat(book.maintenance("erp", "alice", T0)).as("already").isEmpty();
        assertThat(book.succeeded("erp", T0.plusSeconds(1))).as("an attempt in flight when it was taken out").isEmpty();
        book.failed("erp", 1, "HTTP 500", T0.plusSeconds(2));
        assertThat(book.condition("erp", 0).state()).isEqualTo(HealthState.MAINTENANCE);
        assertThat(book.condition("erp", 0).changedBy()).isEqualTo("alice");
        assertThat(book.resume("erp", "bob", T0.plusSeconds(3)).map(HealthBook.Change::to)).contains(HealthState.UP);
        assertThat(book.holds("erp")).isFalse();
        assertThat(book.resume("erp", "bob", T0.plusSeconds(4))).as("nothing to resume").isEmpty();
    }

    @Test
    void theLaterChangeWinsBetweenNodes() {
        book.failed("erp", 1, "HTTP 500", T0);
        ReceiverCondition older = new ReceiverCondition("erp", HealthState.UP, T0.minusSeconds(1), 0, null, "courier", 0);
        assertThat(book.adopt(older)).isEmpty();
        assertThat(book.holds("erp")).isTrue();
        ReceiverCondition later = new ReceiverCondition("erp", HealthState.UP, T0.plusSeconds(5), 0, null, "courier", 0);
        assertThat(book.adopt(later).map(HealthBook.Change::to)).contains(HealthState.UP);
        assertThat(book.holds("erp")).isFalse();
        assertThat(book.unsaved()).as("another node's change is not written again").isEmpty();
    }

    @Test
    void aChangeMadeInTheSameMillisecondAsTheLastIsStillLater() {
        book.failed("erp", 1, "HTTP 500", T0);
        book.succeeded("erp", T0);
        assertThat(book.condition("erp", 0).since()).isAfter(T0);
    }

    @Test
    void savedOnlyClearsTheChangeThatWasWritten() {
        book.failed("erp", 1, "HTTP 500", T0);
        ReceiverCondition down = book.unsaved().get(0);
        book.succeeded("erp", T0.plusSeconds(1));
        book.saved(down);
        assertThat(book.unsaved()).extracting(ReceiverCondition::state).containsExactly(HealthState.UP);
    }

    @Test
    void concurrentFailuresCrossTheThresholdExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<Optional<HealthBook.Change>>> outcomes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                return book.failed("erp", 50, "HTTP 500", T0);
            }));
        }
        start.countDown();
        long downs = 0;
        for (var outcome : outcomes) {
            downs += outcome.get(10, TimeUnit.SECONDS).filter(c -> c.to() == HealthState.DOWN).isPresent() ? 1 : 0;
        }
        pool.shutdownNow();
        assertThat(downs).isEqualTo(1);
        assertThat(book.condition("erp", 0).failures()).isEqualTo(400);
    }
}
