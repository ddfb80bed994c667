package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ID mappings looked up both ways within an operator's scope, on a real database: by the sender in
 * the source id, and — bound to interfaces — by the interface of the stored message it was made for.
 */
class MappingLookupTest {

    private final OperatorData data = new OperatorData();
    private final IdMappingStore store = new IdMappingStore();

    @BeforeEach
    void mappingsOfTwoSenders() {
        data.message("ERP", "erp-order-1", "Orders");
        data.message("ERP", "erp-invoice-1", "Invoices");
        data.message("ERP_X", "erp-x-1", "Orders");
        data.message("SHOP", "shop-order-1", "Orders");
        data.mapping("ERP/erp-order-1", "idoc", "TID-1", "idoc-tid");
        data.mapping("ERP/erp-order-1", "as2", "SAME", "as2");
        data.mapping("ERP/erp-invoice-1", "idoc", "TID-2", "idoc-tid");
        data.mapping("ERPAX/erp-x-1", "idoc", "TID-X", "idoc-tid");
        data.mapping("SHOP/shop-order-1", "xi", "SAME", "xi");
        data.mapping("order-lines/4711#1", "bundles", "TID-AGG", "idoc-tid");
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void bySourceWithinTheScope() {
        assertThat(contexts(OperatorData.ALL, "ERP/erp-order-1")).containsExactly("as2", "idoc");
        assertThat(contexts(OperatorData.ERP_ORDERS, "ERP/erp-order-1")).containsExactly("as2", "idoc");
        assertThat(contexts(OperatorData.ERP_ORDERS, "ERP/erp-invoice-1")).isEmpty();
        assertThat(contexts(new OperatorScope(java.util.Set.of("SHOP"), null), "ERP/erp-order-1")).isEmpty();
        assertThat(contexts(OperatorData.NOBODY, "ERP/erp-order-1")).isEmpty();
    }

    @Test
    void byTargetWithinTheScopeOnlyOfItsSendersWithoutLikePatterns() {
        assertThat(sources(OperatorData.ALL, "SAME")).containsExactly("ERP/erp-order-1", "SHOP/shop-order-1");
        assertThat(sources(OperatorData.ERP, "SAME")).containsExactly("ERP/erp-order-1");
        assertThat(sources(OperatorData.ORDERS, "SAME")).containsExactly("ERP/erp-order-1", "SHOP/shop-order-1");
        assertThat(sources(OperatorData.ERP, "TID-X")).as("'_' of ERP_X is no wildcard, ERP is no prefix of ERPAX").isEmpty();
        assertThat(sources(new OperatorScope(java.util.Set.of("ERP_X"), null), "TID-X")).isEmpty();
    }

    @Test
    void anAggregatesMappingIsTheAggregatorsAndNotSeenByOperatorsBoundToInterfaces() {
        assertThat(sources(new OperatorScope(java.util.Set.of("order-lines"), null), "TID-AGG"))
                .containsExactly("order-lines/4711#1");
        assertThat(sources(OperatorData.ORDERS, "TID-AGG")).isEmpty();
        assertThat(sources(OperatorData.ERP, "TID-AGG")).isEmpty();
    }

    private List<String> contexts(OperatorScope scope, String sourceId) {
        List<IdMapping> found = data.inTransaction(em -> store.bySource(scope, sourceId), store);
        return found.stream().map(IdMapping::context).toList();
    }

    private List<String> sources(OperatorScope scope, String targetId) {
        List<IdMapping> found = data.inTransaction(em -> store.byTarget(scope, targetId), store);
        return found.stream().map(IdMapping::sourceId).toList();
    }
}
