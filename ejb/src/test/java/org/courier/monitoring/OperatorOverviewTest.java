package org.courier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.courier.access.OperatorData;
import org.courier.monitoring.OperatorOverview.Counts;
import org.courier.monitoring.OperatorOverview.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overview's counts on a real database: per receiver and per interface within the window of
 * acceptance, what waits now whatever the window, blocked lanes, all within the operator's scope.
 */
class OperatorOverviewTest {

    private final OperatorData data = new OperatorData();
    private final OperatorOverview overview = new OperatorOverview();
    private final MinuteRollup rollup = new MinuteRollup();

    @BeforeEach
    void traffic() {
        OperatorData.inject(overview, "rollup", rollup);
        // accepted at 1..6 s
        String m1 = data.message("ERP", "o-1", "Orders");
        data.delivery(m1, "erp", "DELIVERED");
        data.delivery(m1, "archive", "DELIVERED");
        data.delivery(data.message("ERP", "o-2", "Orders"), "erp", "FAILED");
        data.delivery(data.message("SHOP", "o-3", "Orders"), "erp", "ERROR");
        data.delivery(data.message("ERP", "i-1", "Invoices"), "billing", "IN_DOUBT");
        data.delivery(data.message("ERP", "i-2", "Invoices"), "billing", "CANCELLED");
        String queue = data.queue("ERP", "Q1", 2);
        String lane = data.lane(queue, "erp");
        String head = data.delivery(data.message("ERP", "q-1", "Orders", "Q1", 1L), "erp", "ERROR", lane, 1L);
        data.head(lane, head);
        data.delivery(data.message("ERP", "q-2", "Orders", "Q1", 2L), "erp", "HELD", lane, 2L);
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void theWindowCountsPerReceiverAndInterfaceAndWhatWaitsNowWhateverTheWindow() {
        Snapshot all = data.inTransaction(em -> overview.take(OperatorData.ALL, OperatorData.at(0), OperatorData.at(100)),
                overview, rollup);

        assertThat(all.receivers().keySet()).containsExactly("archive", "billing", "erp");
        assertThat(all.receivers().get("erp")).isEqualTo(new Counts(5, 1, 0, 1, 3, 0, 0));
        assertThat(all.receivers().get("billing")).isEqualTo(new Counts(2, 0, 0, 0, 0, 1, 1));
        assertThat(all.interfaces().get("Orders")).as("messages accepted; deliveries by state")
                .isEqualTo(new Counts(5, 2, 0, 1, 3, 0, 0));
        assertThat(all.interfaces().get("Invoices")).isEqualTo(new Counts(2, 0, 0, 0, 0, 1, 1));
        assertThat(all.waitingNow().get("erp").waiting()).isEqualTo(4);
        assertThat(all.waitingNow().get("erp").failed()).isEqualTo(3);
        assertThat(all.blockedLanes()).containsEntry("erp", 1L);

        // a window after the traffic: nothing accepted in it, but what waits still waits
        Snapshot later = data.inTransaction(em -> overview.take(OperatorData.ALL, OperatorData.at(50), OperatorData.at(100)),
                overview, rollup);
        assertThat(later.receivers()).isEmpty();
        assertThat(later.interfaces()).isEmpty();
        assertThat(later.waitingNow().get("erp").waiting()).isEqualTo(4);
        assertThat(later.waitingNow().get("billing").inDoubt()).isEqualTo(1);
    }

    @Test
    void onlyTheScopesMessagesAreCounted() {
        Snapshot erpOrders = data.inTransaction(em -> overview.take(OperatorData.ERP_ORDERS, OperatorData.at(0),
                OperatorData.at(100)), overview, rollup);

        assertThat(erpOrders.receivers().keySet()).containsExactly("archive", "erp");
        assertThat(erpOrders.receivers().get("erp")).isEqualTo(new Counts(4, 1, 0, 1, 2, 0, 0));
        assertThat(erpOrders.interfaces().keySet()).containsExactly("Orders");
        assertThat(erpOrders.waitingNow()).doesNotContainKey("billing");
        assertThat(erpOrders.waitingNow().get("erp").failed()).isEqualTo(2);

        Snapshot nobody = data.inTransaction(em -> overview.take(OperatorData.NOBODY, OperatorData.at(0), OperatorData.at(100)),
                overview, rollup);
        assertThat(nobody.receivers()).isEmpty();
        assertThat(nobody.waitingNow()).isEmpty();
        assertThat(nobody.blockedLanes()).isEmpty();
    }

    @Test
    void theCountsAreTheSameFromThePerMinuteRowsAsFromTheMessagesAndTheChartShowsTheWindowOverTime() {
        Snapshot counted = data.inTransaction(em -> overview.take(OperatorData.ALL, OperatorData.at(0), OperatorData.at(100)),
                overview, rollup);
        MinuteRollup.Step step = data.inTransaction(em -> rollup.advance(OperatorData.at(600)), rollup);
        assertThat(step.coveredFrom()).as("back to the oldest message's minute").isEqualTo(OperatorData.at(0));
        assertThat(step.sampled()).isTrue();

        Snapshot fromRows = data.inTransaction(em -> overview.take(OperatorData.ALL, OperatorData.at(0), OperatorData.at(100)),
                overview, rollup);
        assertThat(fromRows.receivers()).isEqualTo(counted.receivers());
        assertThat(fromRows.interfaces()).isEqualTo(counted.interfaces());
        assertThat(fromRows.chart().points()).hasSize(2); // one-minute buckets of [10:00:00, 10:01:40)
        assertThat(fromRows.chart().points().get(0).accepted()).as("deliveries accepted in the first minute").isEqualTo(8);
        assertThat(fromRows.chart().points().get(0).backlog()).as("not sampled then").isNull();

        Snapshot erpOrders = data.inTransaction(em -> overview.take(OperatorData.ERP_ORDERS, OperatorData.at(0),
                OperatorData.at(100)), overview, rollup);
        assertThat(erpOrders.receivers().get("erp")).isEqualTo(new Counts(4, 1, 0, 1, 2, 0, 0));
        assertThat(erpOrders.chart().points().get(0).accepted()).isEqualTo(5);
    }

    @Test
    void aStepCountsTheMinutesClosedSinceAndTheLastOnesAgainAndSamplesTheBacklog() {
        data.inTransaction(em -> rollup.advance(OperatorData.at(600)), rollup);
        // delivered at 10:10:30 and 10:11:10; a message accepted at 10:10:40 committed only after the next step
        data.execute("UPDATE COURIER_DELIVERY SET DELIVERED_AT = ? WHERE STATE = 'DELIVERED' AND RECEIVER = 'erp'",
                java.sql.Timestamp.from(OperatorData.at(630)));
        data.execute("UPDATE COURIER_DELIVERY SET DELIVERED_AT = ? WHERE STATE = 'DELIVERED' AND RECEIVER = 'archive'",
                java.sql.Timestamp.from(OperatorData.at(670)));
        MinuteRollup.Step next = data.inTransaction(em -> rollup.advance(OperatorData.at(730)), rollup);
        assertThat(next.coveredTo()).isEqualTo(OperatorData.at(720));
        assertThat(next.sampled()).as("a minute not sampled yet").isTrue();
        assertThat(data.inTransaction(em -> rollup.advance(OperatorData.at(735)), rollup).sampled()).as("sampled once").isFalse();
        data.execute("UPDATE COURIER_MESSAGE SET ACCEPTED_AT = ? WHERE MESSAGE_ID = 'i-2'",
                java.sql.Timestamp.from(OperatorData.at(640)));
        data.inTransaction(em -> rollup.advance(OperatorData.at(790)), rollup);

        Snapshot later = data.inTransaction(em -> overview.take(OperatorData.ALL, OperatorData.at(600), OperatorData.at(780)),
                overview, rollup);
        assertThat(later.chart().points()).extracting(OperatorOverview.Chart.Point::delivered).containsExactly(1L, 1L, 0L);
        assertThat(later.chart().points()).extracting(OperatorOverview.Chart.Point::accepted)
                .as("counted again at the next step").containsExactly(1L, 0L, 0L);
        assertThat(later.chart().points()).extracting(OperatorOverview.Chart.Point::backlog)
                .as("the backlog sampled at 10:10 and 10:12; 10:11 not: no step ran in it").containsExactly(5L, null, 5L);
        assertThat(later.interfaces().get("Invoices")).isEqualTo(new Counts(1, 0, 0, 0, 0, 0, 1));
    }
}
