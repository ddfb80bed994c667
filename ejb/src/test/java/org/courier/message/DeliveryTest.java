package org.courier.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private final ReceivedMessage message = new ReceivedMessage("ERP", "id-1", "Orders",
            QualityOfService.EXACTLY_ONCE, null, "<a/>", "hash");

    @Test
    void startsPendingWithoutAttempts() {
        Delivery delivery = message.addDelivery("alpha");

        assertThat(delivery.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(delivery.attempts()).isZero();
        assertThat(delivery.isDelivered()).isFalse();
        assertThat(message.deliveries()).containsExactly(delivery);
    }

    @Test
    void failuresCountAndKeepTheLastErrorThenSuccessClearsIt() {
        Delivery delivery = message.addDelivery("alpha");
        Instant t = Instant.parse("2026-11-21T10:00:00Z");

        delivery.failed(t, "connection refused");
        delivery.failed(t.plusSeconds(1), "HTTP 503");
        assertThat(delivery.attempts()).isEqualTo(2);
        assertThat(delivery.lastError()).isEqualTo("HTTP 503");
        assertThat(delivery.state()).isEqualTo(DeliveryState.PENDING);

        delivery.delivered(t.plusSeconds(2));
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.isDelivered()).isTrue();
        assertThat(delivery.lastError()).isNull();
        assertThat(delivery.deliveredAt()).isEqualTo(t.plusSeconds(2));
    }

    @Test
    void anOperatorsResendOfAFailedDeliveryStartsAFreshCountOfAttempts() {
        Delivery delivery = message.addDelivery("alpha");
        delivery.failed(Instant.now(), "HTTP 500");
        delivery.gaveUp(Instant.now(), "HTTP 500", Instant.now().plusSeconds(60));
        assertThat(delivery.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(delivery.attempts()).isEqualTo(2);

        delivery.release();

        assertThat(delivery.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(delivery.attempts()).isZero();
        assertThat(delivery.lastError()).isEqualTo("HTTP 500");
    }

    @Test
    void aHeldDeliveryIsOrderedInItsLaneAndReleasedWithoutLosingItsPlace() {
        Delivery delivery = message.addDelivery("alpha");

        delivery.orderIn("lane-1", 7);
        assertThat(delivery.state()).isEqualTo(DeliveryState.HELD);
        assertThat(delivery.isInOrder()).isTrue();

        delivery.release();
        assertThat(delivery.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(delivery.sequenceNo()).isEqualTo(7);
        assertThat(delivery.laneId()).isEqualTo("lane-1");
    }

    @Test
    void deliveredAndCancelledAreFinal() {
        assertThat(DeliveryState.DELIVERED.isFinal()).isTrue();
        assertThat(DeliveryState.CANCELLED.isFinal()).isTrue();
        assertThat(DeliveryState.PENDING.isFinal()).isFalse();
        assertThat(DeliveryState.HELD.isFinal()).isFalse();
        assertThat(DeliveryState.FAILED.isFinal()).isFalse();
    }

    @Test
    void failedAndErrorAreTheFailureStore() {
        for (DeliveryState state : DeliveryState.values()) {
            assertThat(state.isInFailureStore()).as(state.name())
                    .isEqualTo(state == DeliveryState.FAILED || state == DeliveryState.ERROR);
        }
    }

    @Test
    void longErrorsAreCut() {
        Delivery delivery = message.addDelivery("alpha");

        delivery.failed(Instant.now(), "e".repeat(5000));

        assertThat(delivery.lastError()).hasSize(Delivery.MAX_ERROR_LENGTH);
    }

    @Test
    void acceptanceTimeHasMillisecondPrecision() {
        assertThat(message.acceptedAt().getNano() % 1_000_000).isZero();
    }

    @Test
    void onlyTheMessageOfTheLatestDispatchOfAPendingDeliveryMayMakeAnAttempt() {
        Delivery delivery = message.addDelivery("alpha");
        assertThat(delivery.check(1)).as("dispatch not committed yet").isEqualTo(DispatchCheck.NOT_VISIBLE_YET);

        assertThat(delivery.dispatched()).isEqualTo(1);
        assertThat(delivery.check(1)).isEqualTo(DispatchCheck.CURRENT);

        Instant now = Instant.parse("2026-11-22T03:00:00Z");
        delivery.gaveUp(now, "HTTP 503", now);
        assertThat(delivery.check(1)).as("its round ended in the failure store").isEqualTo(DispatchCheck.OUTDATED);

        delivery.resendRound();
        assertThat(delivery.dispatched()).isEqualTo(2);
        assertThat(delivery.check(1)).as("left over from the first dispatch").isEqualTo(DispatchCheck.OUTDATED);
        assertThat(delivery.check(2)).isEqualTo(DispatchCheck.CURRENT);
        assertThat(delivery.check(3)).isEqualTo(DispatchCheck.NOT_VISIBLE_YET);

        delivery.delivered(now);
        assertThat(delivery.check(2)).isEqualTo(DispatchCheck.SETTLED);
        assertThat(delivery.check(1)).isEqualTo(DispatchCheck.SETTLED);
    }

    @Test
    void anInDoubtDeliveryIsStoppedAndDueOnlyIfTheReceiverCanBeAskedAgain() {
        Instant now = Instant.parse("2026-11-22T04:00:00Z");
        Delivery held = message.addDelivery("alpha");
        held.inDoubt(now, "no answer within 2 s", null);
        assertThat(held.state()).isEqualTo(DeliveryState.IN_DOUBT);
        assertThat(held.state().isStopped()).isTrue();
        assertThat(held.state().isInFailureStore()).as("listed apart from failures").isFalse();
        assertThat(held.isDue(now.plusSeconds(3600))).as("nobody to ask: waits for an operator").isFalse();
        assertThat(held.lastError()).isEqualTo("no answer within 2 s");

        Delivery asked = message.addDelivery("beta");
        asked.inDoubt(now, "status URL answered HTTP 503", now.plusSeconds(60));
        assertThat(asked.isDue(now)).isFalse();
        assertThat(asked.isDue(now.plusSeconds(60))).isTrue();
    }

    @Test
    void anOperatorsDeliveredSettlesADeliveryWithoutCountingAnAttempt() {
        Instant now = Instant.parse("2026-11-22T04:00:00Z");
        Delivery delivery = message.addDelivery("alpha");
        delivery.inDoubt(now, "no answer", now.plusSeconds(60));

        delivery.confirmDelivered(now.plusSeconds(5));

        assertThat(delivery.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.deliveredAt()).isEqualTo(now.plusSeconds(5));
        assertThat(delivery.nextResendAt()).isNull();
    }

    @Test
    void anAttemptKeepsItsFirstOutcome() {
        Instant now = Instant.parse("2026-11-22T04:00:00Z");
        DeliveryAttempt attempt = new DeliveryAttempt("d-1", now);
        assertThat(attempt.inDoubt()).isTrue();

        attempt.end(AttemptOutcome.CONFIRMED_RECEIVED, now.plusSeconds(3), "status URL answered 200");
        attempt.end(AttemptOutcome.OPERATOR_RESENT, now.plusSeconds(9), "late");

        assertThat(attempt.inDoubt()).isFalse();
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.CONFIRMED_RECEIVED);
        assertThat(attempt.endedAt()).isEqualTo(now.plusSeconds(3));
    }
}
