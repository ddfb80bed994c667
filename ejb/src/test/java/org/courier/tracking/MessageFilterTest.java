package org.courier.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;
import org.courier.message.DeliveryState;
import org.junit.jupiter.api.Test;

class MessageFilterTest {

    @Test
    void noCriterionFindsEverything() {
        assertThat(MessageFilter.any().where()).isEmpty();
    }

    @Test
    void criteriaCombineWithAndOnTheMessageWithTheWindowHalfOpen() {
        MessageFilter filter = new MessageFilter("ERP", "Orders", null, null, "Q1", "m-1",
                Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"));

        assertThat(filter.where()).isEqualTo(" where m.sender = :sender and m.interfaceName = :interfaceName"
                + " and m.queueId = :queueId and m.messageId = :messageId and m.acceptedAt >= :from and m.acceptedAt < :to");
    }

    @Test
    void stateIsMatchedAgainstTheDeliveriesOfTheReceiverWhenOneIsGiven() {
        MessageFilter both = new MessageFilter(null, null, "erp", DeliveryState.FAILED, null, null, null, null);
        MessageFilter stateOnly = new MessageFilter(null, null, null, DeliveryState.FAILED, null, null, null, null);
        MessageFilter receiverOnly = new MessageFilter("ERP", null, "erp", null, null, null, null, null);

        assertThat(both.where()).isEqualTo(" where exists (select d.id from Delivery d where d.message = m"
                + " and d.receiver = :receiver and d.state = :state)");
        assertThat(stateOnly.where()).isEqualTo(" where exists (select d.id from Delivery d where d.message = m"
                + " and d.state = :state)");
        assertThat(receiverOnly.where()).isEqualTo(" where m.sender = :sender and exists (select d.id from Delivery d"
                + " where d.message = m and d.receiver = :receiver)");
    }

    @Test
    void theOperatorsScopeIsOneMoreConditionOnTheMessage() {
        ScopeCondition erpOrders = ScopeCondition.jpql(new OperatorScope(Set.of("ERP"), Set.of("Orders")), "m.sender",
                "m.interfaceName");
        MessageFilter receiverOnly = new MessageFilter(null, null, "erp", null, null, null, null, null);

        assertThat(MessageFilter.any().where(erpOrders))
                .isEqualTo(" where (m.sender in :scopeSenders and m.interfaceName in :scopeInterfaces)");
        assertThat(receiverOnly.where(erpOrders)).isEqualTo(" where exists (select d.id from Delivery d where d.message = m"
                + " and d.receiver = :receiver) and (m.sender in :scopeSenders and m.interfaceName in :scopeInterfaces)");
        assertThat(MessageFilter.any().where(ScopeCondition.jpql(OperatorScope.EVERYTHING, "m.sender", "m.interfaceName")))
                .isEmpty();
    }
}
