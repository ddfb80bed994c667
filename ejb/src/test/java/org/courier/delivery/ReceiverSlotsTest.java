package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.courier.routing.ConnectionSettings;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReceiverSlotsTest {

    private final AtomicLong now = new AtomicLong(42);
    private final ReceiverSlots slots = new ReceiverSlots(ReceiverSlotsTest::receiver, 8, now::get);
    private final List<String> logged = new ArrayList<>();
    private final Logger log = Logger.getLogger(ReceiverSlots.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
    }

    @Test
    void theShareIsTheReceiversParallelAttributeElseTheDefault() {
        assertThat(slots.limit("narrow")).isEqualTo(2);
        assertThat(slots.limit("plain")).isEqualTo(8);
        assertThat(slots.limit("unknown")).as("a receiver no longer configured").isEqualTo(8);
    }

    @Test
    void theDefaultShareIsThePropertyElseHalfTheSessionsAtLeastOne() {
        assertThat(ReceiverSlots.defaultLimit(0, 16)).isEqualTo(8);
        assertThat(ReceiverSlots.defaultLimit(0, 1)).isEqualTo(1);
        assertThat(ReceiverSlots.defaultLimit(0, 3)).isEqualTo(1);
        assertThat(ReceiverSlots.defaultLimit(12, 16)).isEqualTo(12);
    }

    @Test
    void aReceiverGetsNoMoreSlotsThanItsShareAndAFreedSlotIsTakenAgain() {
        Optional<ReceiverSlots.Slot> first = slots.take("narrow", 0);
        Optional<ReceiverSlots.Slot> second = slots.take("narrow", 0);
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(slots.take("narrow", 0)).isEmpty();
        assertThat(slots.take("plain", 0)).as("another receiver's slots are its own").isPresent();

        first.get().close();
        first.get().close(); // given back once, however often closed
        assertThat(slots.take("narrow", 0)).isPresent();
        assertThat(slots.take("narrow", 0)).isEmpty();
    }

    @Test
    void aReceiverWithAllSlotsBusyIsReportedOnceAMinuteAtMost() {
        slots.take("narrow", 0);
        slots.take("narrow", 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(slots.take("narrow", 0)).isEmpty();
        }
        assertThat(logged).containsExactly("Receiver \"narrow\" has all its 2 delivery slots busy (answers slowly or not"
                + " at all); its other deliveries wait their turn");

        now.addAndGet(Duration.ofSeconds(59).toNanos());
        slots.take("narrow", 0);
        assertThat(logged).hasSize(1);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        slots.take("narrow", 0);
        assertThat(logged).hasSize(2);
    }

    @Test
    void aReceiverNeverMeasuredCountsAsQuickSoABurstWaitsOnlyTheShortestTurn() {
        slots.take("narrow", 0).orElseThrow();
        slots.take("narrow", 0).orElseThrow();
        // 2 slots, each counted as given back after 10 ms: 200 a second
        assertThat(slots.deferral("narrow")).isEqualTo(Deferral.SHORTEST);
        for (int i = 2; i < 40; i++) {
            slots.deferral("narrow");
        }
        assertThat(slots.deferral("narrow")).as("40th in line").isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void attemptsThatDoNotComeBackSpaceTheTurnsOutBeforeAnyOfThemEnds() {
        slots.take("narrow", 0).orElseThrow();
        slots.take("narrow", 0).orElseThrow();
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        // both slots held for 3 s so far: 2 slots per 3 s
        assertThat(slots.deferral("narrow")).isEqualTo(Duration.ofMillis(1500));
        assertThat(slots.deferral("narrow")).as("second in line").isEqualTo(Duration.ofSeconds(3));
        assertThat(slots.take("narrow", 1)).as("the first is back, still no slot").isEmpty();
        assertThat(slots.deferral("narrow")).as("second in line again").isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theTurnFollowsHowLongTheReceiverHoldsASlotOnAverage() {
        for (int i = 0; i < 5; i++) {
            ReceiverSlots.Slot first = slots.take("narrow", 0).orElseThrow();
            ReceiverSlots.Slot second = slots.take("narrow", 0).orElseThrow();
            now.addAndGet(Duration.ofMillis(50).toNanos());
            first.close();
            second.close();
        }
        slots.take("narrow", 0).orElseThrow();
        slots.take("narrow", 0).orElseThrow();
        // 2 slots of 50 ms: 40 a second
        for (int i = 1; i < 10; i++) {
            slots.deferral("narrow");
        }
        assertThat(slots.deferral("narrow")).as("10th in line").isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void oneAttemptThatHangsSlowsOnlyItsOwnSlot() {
        ReceiverSlots.Slot quick = slots.take("narrow", 0).orElseThrow();
        slots.take("narrow", 0).orElseThrow(); // hangs from here on
        for (int i = 0; i < 200; i++) {
            now.addAndGet(Duration.ofMillis(50).toNanos());
            quick.close();
            quick = slots.take("narrow", 0).orElseThrow();
        }
        // 10 s into the hang: 20 a second from the quick slot, 0.1 from the hanging one
        for (int i = 1; i < 10; i++) {
            slots.deferral("narrow");
        }
        assertThat(slots.deferral("narrow")).as("10th in line").isEqualTo(Duration.ofMillis(497));
    }

    @Test
    void slotsHeldWithoutSendingAnythingDoNotCountInTheReceiversPace() {
        for (int i = 0; i < 5; i++) {
            ReceiverSlots.Slot answered = slots.take("narrow", 0).orElseThrow();
            now.addAndGet(Duration.ofMillis(100).toNanos());
            answered.close();
        }
        // after a restart: rows locked by branches in doubt, each a 10 s lock wait before BUSY
        ReceiverSlots.Slot first = slots.take("narrow", 0).orElseThrow();
        ReceiverSlots.Slot second = slots.take("narrow", 0).orElseThrow();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        first.sentNothing();
        first.close();
        second.sentNothing();
        second.close();
        // still 2 slots of 100 ms: 20 a second, as if the lock waits had never been
        for (int i = 1; i < 10; i++) {
            slots.deferral("narrow");
        }
        assertThat(slots.deferral("narrow")).as("10th in line").isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aReceiverThatAnswersAgainIsQuickAgainAfterAFewAnswers() {
        ReceiverSlots.Slot first = slots.take("narrow", 0).orElseThrow();
        ReceiverSlots.Slot second = slots.take("narrow", 0).orElseThrow();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        first.close();
        second.close();
        assertThat(slots.deferral("narrow")).as("after two 30 s timeouts, first in line").isEqualTo(Duration.ofSeconds(15));

        for (int i = 0; i < 15; i++) {
            ReceiverSlots.Slot answered = slots.take("narrow", 0).orElseThrow();
            now.addAndGet(Duration.ofMillis(10).toNanos());
            answered.close();
        }
        // 30 s weighs 0.8^15 (3.5 %) in the average after 15 quick answers: about 1.06 s
        assertThat(slots.deferral("narrow")).as("second in line").isLessThan(Duration.ofMillis(1100));
    }

    @Test
    void thePaceIsTheAverageAttemptOrTheOldestRunningOneIfLonger() {
        assertThat(slots.pace("narrow")).as("never measured").isZero();
        for (int i = 0; i < 3; i++) {
            ReceiverSlots.Slot answered = slots.take("narrow", 0).orElseThrow();
            now.addAndGet(Duration.ofMillis(20).toNanos());
            answered.close();
        }
        assertThat(slots.pace("narrow")).isEqualTo(Duration.ofMillis(20));

        ReceiverSlots.Slot hanging = slots.take("narrow", 0).orElseThrow();
        now.addAndGet(Duration.ofMillis(10).toNanos());
        assertThat(slots.pace("narrow")).as("a running attempt younger than the average").isEqualTo(Duration.ofMillis(20));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(slots.pace("narrow")).as("a running attempt that does not come back").isEqualTo(Duration.ofMillis(5_010));
        hanging.sentNothing();
        hanging.close();
        assertThat(slots.pace("narrow")).as("given back without a request: not counted").isEqualTo(Duration.ofMillis(20));
    }

    private static Optional<ReceiverEndpoint> receiver(String name) {
        return switch (name) {
            case "narrow" -> Optional.of(endpoint(name, Duration.ofSeconds(30), 2));
            case "plain" -> Optional.of(endpoint(name, Duration.ofSeconds(30), 0));
            case "quick" -> Optional.of(endpoint(name, Duration.ofSeconds(2), 0));
            default -> Optional.empty();
        };
    }

    private static ReceiverEndpoint endpoint(String name, Duration timeout, int parallel) {
        ConnectionSettings connection = new ConnectionSettings(ConnectionSettings.Authentication.NONE, null, null,
                ConnectionSettings.Tls.SERVER, null, parallel);
        return new ReceiverEndpoint(name, URI.create("http://127.0.0.1/" + name), timeout, true, InDoubtPolicy.HOLD, null,
                null, ReceiverProtocol.PLAIN, connection);
    }
}
