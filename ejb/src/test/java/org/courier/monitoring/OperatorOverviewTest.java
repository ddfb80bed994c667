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

    @BeforeEach
    void traffic() {
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
                overview);

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
                overview);
        assertThat(later.receivers()).isEmpty();
        assertThat(later.interfaces()).isEmpty();
        assertThat(later.waitingNow().get("erp").waiting()).isEqualTo(4);
        assertThat(later.waitingNow().get("billing").inDoubt()).isEqualTo(1);
    }

    @Test
    void onlyTheScopesMessagesAreCounted() {
        Snapshot erpOrders = data.inTransaction(em -> overview.take(OperatorData.ERP_ORDERS, OperatorData.at(0),
                OperatorData.at(100)), overview);

        assertThat(erpOrders.receivers().keySet()).containsExactly("archive", "erp");
        assertThat(erpOrders.receivers().get("erp")).isEqualTo(new Counts(4, 1, 0, 1, 2, 0, 0));
        assertThat(erpOrders.interfaces().keySet()).containsExactly("Orders");
        assertThat(erpOrders.waitingNow()).doesNotContainKey("billing");
        assertThat(erpOrders.waitingNow().get("erp").failed()).isEqualTo(2);

        Snapshot nobody = data.inTransaction(em -> overview.take(OperatorData.NOBODY, OperatorData.at(0), OperatorData.at(100)),
                overview);
        assertThat(nobody.receivers()).isEmpty();
        assertThat(nobody.waitingNow()).isEmpty();
        assertThat(nobody.blockedLanes()).isEmpty();
    }
}
