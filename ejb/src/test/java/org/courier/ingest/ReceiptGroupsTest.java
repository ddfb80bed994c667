package org.courier.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.courier.message.QualityOfService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of single sends ({@link ReceiptGroups}): run by many threads at once, each
 * receipt is stored exactly once and its request gets its own acknowledgement, never another's;
 * groups form under concurrency and stay within the maximum; a group that fails leaves each of
 * its receipts to be stored alone, a lone receipt gets its failure; nobody waits for ever.
 */
class ReceiptGroupsTest {

    private static final int THREADS = 24;
    private static final int PER_THREAD = 150;

    private final ReceiptGroups groups = new ReceiptGroups();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void concurrentReceiptsAreStoredOnceEachInGroupsAndEachRequestGetsItsOwnAnswer() throws Exception {
        Set<String> stored = ConcurrentHashMap.newKeySet();
        List<Integer> groupSizes = new CopyOnWriteArrayList<>();
        AtomicInteger storing = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Function<List<CheckedReceipt>, List<Acknowledgement>> storeTogether = receipts -> {
            mostAtOnce.accumulateAndGet(storing.incrementAndGet(), Math::max);
            try {
                groupSizes.add(receipts.size());
                busy(); // a commit takes a while: requests arrive meanwhile
                List<Acknowledgement> acks = new ArrayList<>();
                for (CheckedReceipt receipt : receipts) {
                    assertThat(stored.add(receipt.command().messageId())).as("stored twice").isTrue();
                    acks.add(acknowledgement(receipt));
                }
                return acks;
            } finally {
                storing.decrementAndGet();
            }
        };
        List<Future<List<String>>> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(pool.submit(() -> {
                start.await();
                List<String> mismatches = new ArrayList<>();
                for (int n = 0; n < PER_THREAD; n++) {
                    String id = "t" + thread + "-" + n;
                    ReceiptGroups.Outcome outcome = groups.store(receipt(id), storeTogether);
                    if (outcome.stored() == null || !outcome.stored().messageId().equals(id)) {
                        mismatches.add(id + " got " + outcome);
                    }
                }
                return mismatches;
            }));
        }
        start.countDown();
        for (Future<List<String>> thread : threads) {
            assertThat(thread.get(2, TimeUnit.MINUTES)).as("answers that were not the request's own").isEmpty();
        }
        assertThat(stored).hasSize(THREADS * PER_THREAD);
        assertThat(mostAtOnce.get()).as("groups stored at the same time").isEqualTo(1);
        assertThat(Collections.max(groupSizes)).as("largest group").isGreaterThan(1)
                .isLessThanOrEqualTo(ReceiptGroups.MAX_GROUP);
        assertThat(groupSizes.size()).as("transactions for %d receipts", THREADS * PER_THREAD)
                .isLessThan(THREADS * PER_THREAD / 2);
    }

    @Test
    void aGroupThatFailsLeavesEachReceiptToBeStoredAloneAndALoneReceiptGetsItsFailure() throws Exception {
        // every group holding a "bad" receipt fails, as a transaction with one duplicate does
        RuntimeException failure = new ReceiptNotStored(new IllegalStateException("unique key"));
        Function<List<CheckedReceipt>, List<Acknowledgement>> storeTogether = receipts -> {
            busy();
            if (receipts.stream().anyMatch(r -> r.command().messageId().startsWith("bad"))) {
                throw failure;
            }
            return receipts.stream().map(ReceiptGroupsTest::acknowledgement).toList();
        };
        List<Future<ReceiptGroups.Outcome>> outcomes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int n = 0; n < 400; n++) {
            String id = (n % 40 == 0 ? "bad-" : "good-") + n;
            ids.add(id);
            outcomes.add(pool.submit(() -> {
                start.await();
                return groups.store(receipt(id), storeTogether);
            }));
        }
        start.countDown();
        int alone = 0;
        for (int n = 0; n < outcomes.size(); n++) {
            ReceiptGroups.Outcome outcome = outcomes.get(n).get(2, TimeUnit.MINUTES);
            if (ids.get(n).startsWith("bad")) {
                assertThat(outcome.stored()).as("a receipt whose group failed").isNull();
                assertThat(outcome.failure()).isIn(null, failure);
            } else if (outcome.stored() == null) {
                assertThat(outcome.failure()).as("a good receipt in a failed group is left to be stored alone").isNull();
                alone++;
            } else {
                assertThat(outcome.stored().messageId()).isEqualTo(ids.get(n));
            }
        }
        assertThat(alone).as("good receipts whose group failed because of a bad one").isPositive();

        ReceiptGroups.Outcome lone = groups.store(receipt("bad-lone"), storeTogether);
        assertThat(lone.stored()).isNull();
        assertThat(lone.failure()).as("a group of one hands its failure on").isSameAs(failure);
    }

    @Test
    void aFailureThatIsNoRuntimeExceptionStillReleasesEveryWaitingRequest() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<List<CheckedReceipt>, List<Acknowledgement>> storeTogether = receipts -> {
            busy();
            if (calls.incrementAndGet() == 1) {
                throw new AssertionError("an error, not an exception");
            }
            return receipts.stream().map(ReceiptGroupsTest::acknowledgement).toList();
        };
        List<Future<ReceiptGroups.Outcome>> outcomes = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int n = 0; n < 100; n++) {
            String id = "m" + n;
            outcomes.add(pool.submit(() -> {
                start.await();
                return groups.store(receipt(id), storeTogether);
            }));
        }
        start.countDown();
        int failed = 0;
        for (Future<ReceiptGroups.Outcome> outcome : outcomes) {
            try {
                outcome.get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(AssertionError.class);
                failed++;
            }
        }
        assertThat(failed).as("the leader whose store threw the error; the others were released").isEqualTo(1);
    }

    private static void busy() {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(500);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static CheckedReceipt receipt(String id) {
        return new CheckedReceipt(new SendCommand("S", "Orders", id, QualityOfService.EXACTLY_ONCE.wireName(), null, "<a/>"),
                QualityOfService.EXACTLY_ONCE, "hash", List.of(), List.of(), null);
    }

    private static Acknowledgement acknowledgement(CheckedReceipt receipt) {
        return new Acknowledgement("S", receipt.command().messageId(), Acknowledgement.Result.ACCEPTED, Instant.EPOCH,
                null, null);
    }

    @Test
    void whetherReceiptsAreGroupedIsTheOperatorsSettingAndWithoutOneWhetherTheDatabaseIsH2() {
        assertThat(paysWith("on")).isTrue();
        assertThat(paysWith("off")).isFalse();
        assertThat(paysWith(" OFF ")).isFalse();
        // auto, and a value that is not a setting (warned, taken as auto): without a database to
        // ask (none here), receipts are stored each alone, as before grouping existed
        assertThat(paysWith("auto")).isFalse();
        assertThat(paysWith("sometimes")).isFalse();
    }

    private static boolean paysWith(String setting) {
        String before = System.getProperty(ReceiptGroups.PROPERTY);
        System.setProperty(ReceiptGroups.PROPERTY, setting);
        try {
            return new ReceiptGroups().pays();
        } finally {
            if (before == null) {
                System.clearProperty(ReceiptGroups.PROPERTY);
            } else {
                System.setProperty(ReceiptGroups.PROPERTY, before);
            }
        }
    }
}
