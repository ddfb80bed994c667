package org.courier.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.courier.message.DeliveryState;
import org.junit.jupiter.api.Test;

class BucketTest {

    @Test
    void everyDeliveryStateHasExactlyTheBucketTheReportDocuments() {
        Map<DeliveryState, Bucket> expected = new EnumMap<>(DeliveryState.class);
        expected.put(DeliveryState.DELIVERED, Bucket.DELIVERED);
        expected.put(DeliveryState.PENDING, Bucket.PENDING);
        expected.put(DeliveryState.HELD, Bucket.PENDING);
        expected.put(DeliveryState.FAILED, Bucket.FAILED);
        expected.put(DeliveryState.ERROR, Bucket.FAILED);
        expected.put(DeliveryState.CANCELLED, Bucket.CANCELLED);
        expected.put(DeliveryState.IN_DOUBT, Bucket.IN_DOUBT);

        assertThat(expected.keySet()).as("a new state must be placed here and in docs/admin-api.md")
                .containsExactlyInAnyOrder(DeliveryState.values());
        expected.forEach((state, bucket) -> assertThat(Bucket.of(state)).as(state.name()).isEqualTo(bucket));
    }

    @Test
    void aStoredStateNameIsPlacedByItsStateAndAnUnknownOneHasNoBucket() {
        assertThat(Bucket.ofStored("HELD")).contains(Bucket.PENDING);
        assertThat(Bucket.ofStored("ERROR")).contains(Bucket.FAILED);
        assertThat(Bucket.ofStored("PARKED")).isEmpty();
        assertThat(Bucket.ofStored("delivered")).isEmpty();
    }
}
