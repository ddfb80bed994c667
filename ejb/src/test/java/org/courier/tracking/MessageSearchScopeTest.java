package org.courier.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Timestamp;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.courier.idmapping.IdMapper;
import org.courier.idmapping.IdMappingStore;
import org.courier.message.DeliveryState;
import org.courier.operations.ActionRefused;
import org.courier.retention.Tombstones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Message search, detail and payload within an operator's scope, on a real database: the total
 * and the pages count only what the scope permits, and a message outside it is not found, with
 * the very words of one never accepted.
 */
class MessageSearchScopeTest {

    private final OperatorData data = new OperatorData();
    private final MessageSearch search = new MessageSearch();
    private final MessageDetails details = new MessageDetails();
    private final IdMappingStore mappings = new IdMappingStore();
    private final Tombstones tombstones = new Tombstones();

    @BeforeEach
    void messagesOfTwoSenders() {
        for (int i = 1; i <= 4; i++) {
            data.delivery(data.message("ERP", "erp-order-" + i, "Orders"), "alpha", i == 1 ? "FAILED" : "DELIVERED");
        }
        data.delivery(data.message("ERP", "erp-invoice-1", "Invoices"), "alpha", "FAILED");
        for (int i = 1; i <= 3; i++) {
            data.delivery(data.message("SHOP", "shop-order-" + i, "Orders"), "alpha", "FAILED");
        }
        data.mapping("ERP/erp-order-1", "idoc", "TID-1", "idoc-tid");
        IdMapper mapper = new IdMapper();
        OperatorData.inject(mapper, "store", mappings);
        OperatorData.inject(details, "idMapper", mapper);
        OperatorData.inject(details, "tombstones", tombstones);
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void totalsAndPagesHoldOnlyTheScopesMessages() {
        assertThat(page(OperatorData.ALL, MessageFilter.any(), 0, 50).total()).isEqualTo(8);
        assertThat(page(OperatorData.ERP, MessageFilter.any(), 0, 50).total()).isEqualTo(5);
        assertThat(page(OperatorData.ERP_ORDERS, MessageFilter.any(), 0, 50).total()).isEqualTo(4);
        assertThat(page(OperatorData.ORDERS, MessageFilter.any(), 0, 50).total()).isEqualTo(7);
        assertThat(page(OperatorData.NOBODY, MessageFilter.any(), 0, 50).total()).isZero();

        MessagePage second = page(OperatorData.ERP, MessageFilter.any(), 1, 2);
        assertThat(second.total()).isEqualTo(5);
        assertThat(second.messages()).extracting(MessageSummary::messageId).containsExactly("erp-order-3", "erp-order-2");
        assertThat(page(OperatorData.ERP, MessageFilter.any(), 2, 2).messages()).extracting(MessageSummary::messageId)
                .containsExactly("erp-order-1");
    }

    @Test
    void anOperatorsFilterCannotReachBeyondItsScope() {
        MessageFilter shopFailures = new MessageFilter("SHOP", null, null, DeliveryState.FAILED, null, null, null, null);
        MessageFilter failures = new MessageFilter(null, null, "alpha", DeliveryState.FAILED, null, null, null, null);

        assertThat(page(OperatorData.ERP, shopFailures, 0, 50).total()).isZero();
        assertThat(page(OperatorData.ALL, shopFailures, 0, 50).total()).isEqualTo(3);
        assertThat(page(OperatorData.ERP_ORDERS, failures, 0, 50).messages()).extracting(MessageSummary::messageId)
                .containsExactly("erp-order-1");
        assertThat(page(OperatorData.ORDERS, failures, 0, 50).total()).isEqualTo(4);
    }

    @Test
    void aMessageOutsideTheScopeIsNotFoundLikeOneNeverAccepted() {
        String unknown = refusal(OperatorData.ERP, "SHOP", "never-sent");
        String outside = refusal(OperatorData.ERP, "SHOP", "shop-order-1");

        assertThat(outside).isEqualTo("no message shop-order-1 of sender SHOP");
        assertThat(unknown).isEqualTo("no message never-sent of sender SHOP");
        assertThat(refusal(OperatorData.ERP_ORDERS, "ERP", "erp-invoice-1")).isEqualTo("no message erp-invoice-1 of sender ERP");
        assertThatThrownBy(() -> payload(OperatorData.ORDERS, "ERP", "erp-invoice-1")).isInstanceOf(ActionRefused.class);
    }

    @Test
    void aDetailShowsThePayloadsHashAndSizeButNotThePayloadWhichIsSeparate() {
        MessageDetail detail = data.inTransaction(em -> details.find(OperatorData.ERP_ORDERS, "ERP", "erp-order-1"),
                details, mappings);
        MessagePayload payload = payload(OperatorData.ERP_ORDERS, "ERP", "erp-order-1");

        assertThat(detail.payloadHash()).isEqualTo("hash-erp-order-1");
        assertThat(detail.payloadBytes()).isEqualTo("<order>erp-order-1</order>".length());
        assertThat(detail.mappedIds()).extracting(MessageDetail.MappedId::targetId).containsExactly("TID-1");
        assertThat(payload.payload()).isEqualTo("<order>erp-order-1</order>");
        assertThat(payload.payloadHash()).isEqualTo(detail.payloadHash());
        assertThat(payload.interfaceName()).isEqualTo("Orders");
    }

    @Test
    void onlyAnOperatorHoldingTheWholeSenderIsToldThatAMessageWasPurged() {
        data.execute("INSERT INTO COURIER_TOMBSTONE (SENDER, MESSAGE_ID, PAYLOAD_HASH, ACCEPTED_AT, PURGED_AT)"
                + " VALUES ('ERP', 'purged-1', 'h', ?, ?)", Timestamp.from(OperatorData.at(0)),
                Timestamp.from(OperatorData.at(1)));

        assertThat(refusal(OperatorData.ERP, "ERP", "purged-1")).contains("purged");
        assertThat(refusal(OperatorData.ERP_ORDERS, "ERP", "purged-1")).isEqualTo("no message purged-1 of sender ERP");
        assertThat(refusal(OperatorData.NOBODY, "ERP", "purged-1")).isEqualTo("no message purged-1 of sender ERP");
    }

    private MessagePage page(OperatorScope scope, MessageFilter filter, int page, int size) {
        return data.inTransaction(em -> search.find(scope, filter, page, size), search);
    }

    private MessagePayload payload(OperatorScope scope, String sender, String messageId) {
        return data.inTransaction(em -> details.payload(scope, sender, messageId), details);
    }

    private String refusal(OperatorScope scope, String sender, String messageId) {
        ActionRefused refused = catchThrowableOfType(
                () -> data.inTransaction(em -> details.find(scope, sender, messageId), details, mappings, tombstones),
                ActionRefused.class);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.reason()).isEqualTo(ActionRefused.Reason.NOT_FOUND);
        return refused.getMessage();
    }
}
