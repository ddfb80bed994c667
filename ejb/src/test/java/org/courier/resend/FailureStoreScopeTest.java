package org.courier.resend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure store and the in-doubt deliveries as an operator sees them, on a real database:
 * lists and counts hold only the deliveries of messages within its scope, and "resend all" sends
 * only those.
 */
class FailureStoreScopeTest {

    private final OperatorData data = new OperatorData();
    private final FailureStore store = new FailureStore();
    private final List<String> dispatched = new ArrayList<>();

    @BeforeEach
    void deliveriesOfTwoSenders() {
        data.delivery(data.message("ERP", "erp-order-1", "Orders"), "alpha", "FAILED");
        data.delivery(data.message("ERP", "erp-order-2", "Orders"), "alpha", "ERROR");
        data.delivery(data.message("ERP", "erp-invoice-1", "Invoices"), "alpha", "FAILED");
        data.delivery(data.message("SHOP", "shop-order-1", "Orders"), "alpha", "FAILED");
        data.delivery(data.message("SHOP", "shop-order-2", "Orders"), "beta", "ERROR");
        String erpDoubt = data.delivery(data.message("ERP", "erp-order-3", "Orders"), "fragile", "IN_DOUBT");
        data.attempt(erpDoubt, "RETRIED_IN_DOUBT");
        String shopDoubt = data.delivery(data.message("SHOP", "shop-order-3", "Orders"), "fragile", "IN_DOUBT");
        data.attempt(shopDoubt, "RETRIED_IN_DOUBT");
        data.attempt(shopDoubt, "RETRIED_IN_DOUBT");
        data.delivery(data.message("SHOP", "shop-order-4", "Orders"), "fragile", "IN_DOUBT");
        OperatorData.inject(store, "dispatcher", new DeliveryDispatcher() {
            @Override
            public void dispatch(Delivery delivery) {
                dispatched.add(delivery.message().messageId());
            }
        });
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void theFailureStoreListsTheScopesEntriesOnly() {
        assertThat(entries(OperatorData.ALL, null)).hasSize(5);
        assertThat(entries(OperatorData.ERP, null)).containsExactly("erp-order-1", "erp-order-2", "erp-invoice-1");
        assertThat(entries(OperatorData.ERP_ORDERS, "alpha")).containsExactly("erp-order-1", "erp-order-2");
        assertThat(entries(OperatorData.ORDERS, null)).containsExactly("erp-order-1", "erp-order-2", "shop-order-1",
                "shop-order-2");
        assertThat(entries(OperatorData.NOBODY, null)).isEmpty();
    }

    @Test
    void inDoubtEntriesAndBothCountsHoldTheScopesDeliveriesOnly() {
        assertThat(counts(OperatorData.ALL)).containsExactly(3L, 3L);
        assertThat(counts(OperatorData.ERP)).containsExactly(1L, 1L);
        assertThat(counts(new OperatorScope(Set.of("SHOP"), null))).containsExactly(2L, 2L);
        assertThat(counts(OperatorData.NOBODY)).containsExactly(0L, 0L);
        List<FailureEntry> erpInDoubt = data.inTransaction(em -> store.inDoubt(OperatorData.ERP, "fragile"), store);
        assertThat(erpInDoubt).extracting(FailureEntry::messageId).containsExactly("erp-order-3");
    }

    @Test
    void resendAllSendsOnlyTheScopesEntries() {
        int resent = data.inTransaction(em -> store.resendAll(OperatorData.ERP_ORDERS, "alpha"), store);

        assertThat(resent).isEqualTo(2);
        assertThat(dispatched).containsExactly("erp-order-1", "erp-order-2");
        assertThat(entries(OperatorData.ALL, "alpha")).containsExactly("erp-invoice-1", "shop-order-1");
    }

    private List<String> entries(OperatorScope scope, String receiver) {
        return data.inTransaction(em -> store.entries(scope, receiver), store).stream().map(FailureEntry::messageId).toList();
    }

    /** Held in doubt at fragile, and possible duplicates anywhere. */
    private List<Long> counts(OperatorScope scope) {
        return data.inTransaction(em -> List.of(store.countInDoubt(scope, "fragile"), store.possibleDuplicates(scope, null)),
                store);
    }
}
