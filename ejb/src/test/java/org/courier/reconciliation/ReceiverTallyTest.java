package org.courier.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiverTallyTest {

    @Test
    void deliveriesInKnownStatesAddUpToWhatWasExpected() {
        ReceiverTally tally = new ReceiverTally("erp");
        tally.add("DELIVERED", 5);
        tally.add("PENDING", 2);
        tally.add("HELD", 1);
        tally.add("FAILED", 1);
        tally.add("ERROR", 2);
        tally.add("CANCELLED", 3);
        tally.add("IN_DOUBT", 1);

        ReceiverBalance balance = tally.balance();

        assertThat(balance.expected()).isEqualTo(15);
        assertThat(balance.delivered()).isEqualTo(5);
        assertThat(balance.pending()).isEqualTo(3);
        assertThat(balance.failed()).isEqualTo(3);
        assertThat(balance.cancelled()).isEqualTo(3);
        assertThat(balance.inDoubt()).isEqualTo(1);
        assertThat(balance.addsUp()).isTrue();
    }

    @Test
    void aStateWithoutBucketIsExpectedButUnplaced() {
        ReceiverTally tally = new ReceiverTally("erp");
        assertThat(tally.add("DELIVERED", 4)).isTrue();
        assertThat(tally.add("PARKED", 2)).isFalse();

        ReceiverBalance balance = tally.balance();

        assertThat(balance.expected()).isEqualTo(6);
        assertThat(balance.unplaced()).isEqualTo(2);
        assertThat(balance.addsUp()).isFalse();
    }

    @Test
    void aMissingDeliveryIsExpectedAndADuplicateIsNot() {
        ReceiverTally missing = new ReceiverTally("erp");
        missing.add("DELIVERED", 3);
        missing.missing(1);
        assertThat(missing.balance().expected()).isEqualTo(4);
        assertThat(missing.balance().addsUp()).isFalse();

        ReceiverTally twice = new ReceiverTally("erp");
        twice.add("DELIVERED", 3);
        twice.duplicates(1);
        assertThat(twice.balance().expected()).isEqualTo(2);
        assertThat(twice.balance().delivered()).isEqualTo(3);
        assertThat(twice.balance().addsUp()).isFalse();
    }
}
