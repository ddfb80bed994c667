package org.courier.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which audit entries an operator reads, on a real database: those of its senders (and, bound to
 * interfaces, of its interfaces); an entry of a sender alone only with the whole sender; an entry
 * that concerns no one sender (or written before entries had subjects) only without bounds. The
 * total counts what it reads.
 */
class AuditTrailScopeTest {

    private final OperatorData data = new OperatorData();
    private final AuditTrail trail = new AuditTrail();

    @BeforeEach
    void entries() {
        data.audited("lead", "POST /api/delivery/resend erp-order", "ERP", "Orders");
        data.audited("lead", "POST /api/delivery/resend erp-invoice", "ERP", "Invoices");
        data.audited("lead", "PUT /api/queue/policy erp", "ERP", null);
        data.audited("lead", "POST /api/delivery/cancel shop-order", "SHOP", "Orders");
        data.audited("lead", "POST /api/failures/run", null, null);
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void anOperatorReadsTheEntriesWithinItsScopeAndTheTotalCountsThem() {
        assertThat(actions(OperatorData.ALL)).hasSize(5);
        assertThat(actions(OperatorData.ERP)).containsExactly("PUT /api/queue/policy erp",
                "POST /api/delivery/resend erp-invoice", "POST /api/delivery/resend erp-order");
        assertThat(actions(OperatorData.ERP_ORDERS)).containsExactly("POST /api/delivery/resend erp-order");
        assertThat(actions(OperatorData.ORDERS)).containsExactly("POST /api/delivery/cancel shop-order",
                "POST /api/delivery/resend erp-order");
        assertThat(actions(OperatorData.NOBODY)).isEmpty();
        assertThat(page(OperatorData.ERP, 0, 1).total()).isEqualTo(3);
        assertThat(page(OperatorData.ERP, 0, 1).entries()).singleElement()
                .satisfies(e -> assertThat(e.sender()).isEqualTo("ERP"));
    }

    @Test
    void aSubjectIsTheMessageTheSenderOrNothingInParticular() {
        assertThat(AuditSubject.sender(" ERP ")).isEqualTo(new AuditSubject("ERP", null));
        assertThat(AuditSubject.sender("")).isEqualTo(AuditSubject.EVERYTHING);
        assertThat(AuditSubject.within(OperatorData.ERP_ORDERS)).isEqualTo(new AuditSubject("ERP", "Orders"));
        assertThat(AuditSubject.within(new OperatorScope(Set.of("ERP"), Set.of("Orders", "Invoices"))))
                .isEqualTo(new AuditSubject("ERP", null));
        assertThat(AuditSubject.within(new OperatorScope(Set.of("ERP", "SHOP"), null))).isEqualTo(AuditSubject.EVERYTHING);
        assertThat(AuditSubject.within(OperatorData.ORDERS)).isEqualTo(AuditSubject.EVERYTHING);
    }

    @Test
    void aRecordStoresItsSubjectCutToTheColumns() {
        AuditRecord record = new AuditRecord(OperatorData.at(1), "lead", "GET /api/messages/payload", "sender=x",
                AuditSubject.message("S".repeat(70), "Orders"), 200);

        assertThat(record.subject().sender()).hasSize(AuditRecord.MAX_SENDER);
        assertThat(record.subject().interfaceName()).isEqualTo("Orders");
    }

    private List<String> actions(OperatorScope scope) {
        return page(scope, 0, 100).entries().stream().map(AuditEntry::action).toList();
    }

    private AuditPage page(OperatorScope scope, int page, int size) {
        return data.inTransaction(em -> trail.find(scope, null, null, null, page, size), trail);
    }
}
