package org.courier.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stored idempotent call is found for an operator only within its scope (sender and interface). */
class CallLedgerScopeTest {

    private final OperatorData data = new OperatorData();
    private final CallLedger ledger = new CallLedger();

    @BeforeEach
    void calls() {
        data.call("ERP", "q-1", "Quote", "IN_DOUBT");
        data.call("SHOP", "q-2", "Orders", "COMPLETED");
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void aCallIsFoundWithinTheScopeOnly() {
        assertThat(find(OperatorData.ALL, "ERP", "q-1")).hasValueSatisfying(c -> assertThat(c.interfaceName()).isEqualTo("Quote"));
        assertThat(find(OperatorData.ERP, "ERP", "q-1")).isPresent();
        assertThat(find(OperatorData.ERP_ORDERS, "ERP", "q-1")).isEmpty();
        assertThat(find(OperatorData.ERP, "SHOP", "q-2")).isEmpty();
        assertThat(find(OperatorData.ORDERS, "SHOP", "q-2")).isPresent();
        assertThat(find(OperatorData.NOBODY, "ERP", "q-1")).isEmpty();
    }

    private Optional<CallRecord> find(OperatorScope scope, String sender, String messageId) {
        return data.inTransaction(em -> ledger.find(scope, sender, messageId), ledger);
    }
}
