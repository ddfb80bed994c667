package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AttemptsInFlightTest {

    private final List<Synchronization> registered = new ArrayList<>();
    private final AttemptsInFlight inFlight = new AttemptsInFlight(4, registered::add);

    @Test
    void furtherDeliveriesTakeOnlyFreePlacesAndCompletionGivesAllBack() {
        AttemptsInFlight.Held batch = inFlight.hold();
        batch.first();
        assertThat(batch.another()).isTrue();
        assertThat(batch.another()).isTrue();
        assertThat(batch.another()).isTrue();
        assertThat(batch.another()).as("all four places taken").isFalse();
        assertThat(inFlight.free()).isZero();

        registered.get(0).afterCompletion(Status.STATUS_COMMITTED);

        assertThat(inFlight.free()).isEqualTo(4);
    }

    @Test
    void aRolledBackTransactionGivesItsPlacesBackToo() {
        AttemptsInFlight.Held batch = inFlight.hold();
        batch.first();
        batch.another();
        registered.get(0).afterCompletion(Status.STATUS_ROLLEDBACK);
        assertThat(inFlight.free()).isEqualTo(4);
    }

    @Test
    void anUnusedPlaceIsGivenBackAtOnce() {
        AttemptsInFlight.Held batch = inFlight.hold();
        batch.first();
        batch.another();
        batch.unused();
        assertThat(inFlight.free()).isEqualTo(3);
        registered.get(0).afterCompletion(Status.STATUS_COMMITTED);
        assertThat(inFlight.free()).isEqualTo(4);
    }

    @Test
    void aFirstDeliveryWaitsUntilAnotherTransactionCompletes() throws Exception {
        AttemptsInFlight.Held batch = inFlight.hold();
        batch.first();
        while (batch.another()) {
            // takes every place
        }
        AttemptsInFlight.Held waiting = inFlight.hold();
        CompletableFuture<Void> first = CompletableFuture.runAsync(waiting::first);
        try {
            first.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("the first delivery did not wait for a place");
        } catch (TimeoutException expected) {
            // it waits
        }

        registered.get(0).afterCompletion(Status.STATUS_COMMITTED);

        first.get(10, TimeUnit.SECONDS);
        assertThat(inFlight.free()).isEqualTo(3);
    }
}
