package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryBatchTest {

    private final DeliveryBatch batch = new DeliveryBatch(4, Duration.ofMillis(50));

    @Test
    void anotherIsTakenWhileUnderTheLimitAndYoungerThanTheBudget() {
        assertThat(batch.takesAnother(1, 0)).isTrue();
        assertThat(batch.takesAnother(3, Duration.ofMillis(49).toNanos())).isTrue();
        assertThat(batch.takesAnother(4, 0)).as("at the limit").isFalse();
        assertThat(batch.takesAnother(2, Duration.ofMillis(50).toNanos())).as("at the budget").isFalse();
    }

    @Test
    void aLimitOfOneTakesNoFurtherMessage() {
        assertThat(new DeliveryBatch(1, Duration.ofSeconds(1)).takesAnother(1, 0)).isFalse();
    }

    @Test
    void aFurtherMessageIsDeliveredOnlyForAReceiverQuickerThanTheBudget() {
        assertThat(batch.quickEnough(Duration.ZERO)).as("not measured yet").isTrue();
        assertThat(batch.quickEnough(Duration.ofMillis(5))).isTrue();
        assertThat(batch.quickEnough(Duration.ofMillis(50))).isFalse();
        assertThat(batch.quickEnough(Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void onlyAFirstMessageThatWaitedInTheQueueShowsABacklog() {
        assertThat(batch.backlogShownBy(Duration.ZERO)).isFalse();
        assertThat(batch.backlogShownBy(Duration.ofMillis(15))).as("sent, then its transaction committed").isFalse();
        assertThat(batch.backlogShownBy(Duration.ofMillis(25))).isTrue();
        assertThat(batch.backlogShownBy(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void settingsOutOfRangeAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new DeliveryBatch(0, Duration.ofMillis(50)))
                .hasMessageContaining("courier.delivery.batch must be at least 1");
        assertThatThrownBy(() -> new DeliveryBatch(4, Duration.ofMillis(-1)))
                .hasMessageContaining("courier.delivery.batch-millis must not be negative");
    }

    @Test
    void byDefaultEachTransactionSettlesOneDelivery() {
        DeliveryBatch defaults = DeliveryBatch.configured();
        assertThat(defaults.limit()).isEqualTo(1);
        assertThat(defaults.takesAnother(1, 0)).isFalse();
        assertThat(defaults.budget()).isEqualTo(Duration.ofMillis(50));
    }
}
