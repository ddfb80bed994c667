package org.courier.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LaneStateTest {

    @Test
    void aHeadNotTriedYetFlowsAndOneThatFailedOrStoppedBlocks() {
        assertThat(LaneState.of("PENDING", 0)).isEqualTo(LaneState.FLOWING);
        assertThat(LaneState.of("PENDING", 1)).as("retrying after a failed attempt").isEqualTo(LaneState.BLOCKED);
        assertThat(LaneState.of("FAILED", 5)).isEqualTo(LaneState.BLOCKED);
        assertThat(LaneState.of("ERROR", 1)).isEqualTo(LaneState.BLOCKED);
        assertThat(LaneState.of("IN_DOUBT", 1)).isEqualTo(LaneState.BLOCKED);
    }

    @Test
    void statesAreNamedInAnyCaseAndAnythingElseIsRefused() {
        assertThat(LaneState.named("blocked")).isEqualTo(LaneState.BLOCKED);
        assertThat(LaneState.named(" IDLE ")).isEqualTo(LaneState.IDLE);
        assertThatThrownBy(() -> LaneState.named("STUCK"))
                .isInstanceOfSatisfying(ActionRefused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(ActionRefused.Reason.INVALID))
                .hasMessageContaining("STUCK");
    }
}
