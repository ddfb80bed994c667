package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeferralTest {

    @Test
    void aDeliveryWaitsItsTurnTheWaitingOnesOverTheRateAtWhichSlotsFreeUp() {
        assertThat(Deferral.delay(50, 100)).isEqualTo(Duration.ofMillis(500));
        assertThat(Deferral.delay(10, 0.4)).as("2 slots of a receiver that times out after 5 s")
                .isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void neverShorterThanATenthOfASecondNorLongerThanAMinute() {
        assertThat(Deferral.delay(1, 400)).isEqualTo(Duration.ofMillis(100));
        assertThat(Deferral.delay(0, 400)).isEqualTo(Duration.ofMillis(100));
        assertThat(Deferral.delay(1_000, 0.4)).isEqualTo(Duration.ofSeconds(60));
        assertThat(Deferral.delay(1, 0)).isEqualTo(Duration.ofSeconds(60));
    }
}
