package org.courier.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeRefused;
import org.courier.delivery.DeliveryAttempts;
import org.courier.delivery.DeliveryDispatcher;
import org.courier.message.Delivery;
import org.courier.sequencing.SequenceGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-order queues and single deliveries as an operator sees them, on a real database: a queue is
 * listed and shown only within the scope (bound to interfaces: when it holds a message of one);
 * a head and held messages of another interface are neither shown nor counted nor acted on; a
 * policy needs the whole sender; a delivery outside the scope is unknown.
 */
class QueueOperationsScopeTest {

    private static final OperatorScope ERP_INVOICES = new OperatorScope(Set.of("ERP"), Set.of("Invoices"));
    private static final OperatorScope SHOP = new OperatorScope(Set.of("SHOP"), null);

    private final OperatorData data = new OperatorData();
    private final QueueOperations queues = new QueueOperations();
    private final DeliveryOperations deliveries = new DeliveryOperations();
    private final SequenceGate gate = new SequenceGate();
    private final DeliveryAttempts attempts = new DeliveryAttempts();
    private final List<String> dispatched = new ArrayList<>();

    @BeforeEach
    void threeBlockedQueues() {
        queue("ERP", "Q-MIX", "Orders", "Invoices", "Orders");
        queue("ERP", "Q-INV", "Invoices", "Invoices");
        queue("SHOP", "Q-SHOP", "Orders", "Orders");
        DeliveryDispatcher dispatcher = new DeliveryDispatcher() {
            @Override
            public void dispatch(Delivery delivery) {
                dispatched.add(delivery.message().messageId());
            }
        };
        for (Object bean : List.of(queues, deliveries)) {
            OperatorData.inject(bean, "gate", gate);
            OperatorData.inject(bean, "attempts", attempts);
            OperatorData.inject(bean, "dispatcher", dispatcher);
        }
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void theListHoldsTheQueuesTheScopeMaySeeAndPagesThemInTheDatabase() {
        assertThat(listed(OperatorData.ALL, null)).containsExactly("ERP/Q-INV", "ERP/Q-MIX", "SHOP/Q-SHOP");
        assertThat(listed(OperatorData.ERP, null)).containsExactly("ERP/Q-INV", "ERP/Q-MIX");
        assertThat(listed(OperatorData.ERP_ORDERS, null)).containsExactly("ERP/Q-MIX");
        assertThat(listed(OperatorData.ORDERS, null)).containsExactly("ERP/Q-MIX", "SHOP/Q-SHOP");
        assertThat(listed(OperatorData.NOBODY, null)).isEmpty();
        assertThat(run(() -> queues.list(OperatorData.ERP, null, null, 1, null)).more()).isTrue();
        assertThat(run(() -> queues.list(OperatorData.ERP_ORDERS, null, null, 1, null)).more()).isFalse();
        assertThat(listed(OperatorData.ERP, "SHOP")).isEmpty();
    }

    @Test
    void aQueueTheScopeMayNotSeeIsUnknown() {
        String unknown = notFound(() -> queues.view(OperatorData.ALL, "ERP", "Q-NONE"));

        assertThat(notFound(() -> queues.view(OperatorData.ERP_ORDERS, "ERP", "Q-INV")))
                .isEqualTo("no in-order queue Q-INV of sender ERP").isEqualTo(unknown.replace("Q-NONE", "Q-INV"));
        assertThat(notFound(() -> queues.view(OperatorData.ERP, "SHOP", "Q-SHOP")))
                .isEqualTo("no in-order queue Q-SHOP of sender SHOP");
        assertThat(notFound(() -> queues.held(OperatorData.ERP, "SHOP", "Q-SHOP", "alpha", 100))).contains("no in-order queue");
        assertThat(notFound(() -> queues.cancelHead(OperatorData.ERP, "SHOP", "Q-SHOP", "alpha"))).contains("no in-order queue");
        assertThat(dispatched).isEmpty();
    }

    @Test
    void boundToInterfacesAnOperatorSeesCountsAndActsOnItsMessagesOfAMixedQueueOnly() {
        QueueView.Lane forOrders = run(() -> queues.view(OperatorData.ERP_ORDERS, "ERP", "Q-MIX")).lanes().get(0);
        QueueView.Lane forInvoices = run(() -> queues.view(ERP_INVOICES, "ERP", "Q-MIX")).lanes().get(0);
        QueueView.Lane forAll = run(() -> queues.view(OperatorData.ERP, "ERP", "Q-MIX")).lanes().get(0);

        assertThat(forAll.held()).isEqualTo(2);
        assertThat(forOrders.state()).isEqualTo("BLOCKED");
        assertThat(forOrders.head().messageId()).isEqualTo("Q-MIX-1");
        assertThat(forOrders.held()).isEqualTo(1);
        assertThat(forInvoices.state()).as("the lane's state is the queue's").isEqualTo("BLOCKED");
        assertThat(forInvoices.head()).as("a head of another interface is not shown").isNull();
        assertThat(forInvoices.held()).isEqualTo(1);
        assertThat(run(() -> queues.held(OperatorData.ERP_ORDERS, "ERP", "Q-MIX", "alpha", 100)))
                .extracting(HeldMessage::messageId).containsExactly("Q-MIX-3");
        assertThat(run(() -> queues.held(ERP_INVOICES, "ERP", "Q-MIX", "alpha", 100)))
                .extracting(HeldMessage::messageId).containsExactly("Q-MIX-2");

        assertThat(notFound(() -> queues.resendHead(ERP_INVOICES, "ERP", "Q-MIX", "alpha"))).contains("has no head");
        assertThat(dispatched).isEmpty();
        QueueOperations.HeadAction resent = run(() -> queues.resendHead(OperatorData.ERP_ORDERS, "ERP", "Q-MIX", "alpha"));
        assertThat(resent.interfaceName()).isEqualTo("Orders");
        assertThat(dispatched).containsExactly("Q-MIX-1");
    }

    @Test
    void aPolicyNeedsTheWholeSender() {
        for (OperatorScope partial : List.of(OperatorData.ERP_ORDERS, OperatorData.ORDERS, SHOP, OperatorData.NOBODY)) {
            Throwable refused = catchThrowable(() -> run(() -> queues.changePolicy(partial, "ERP", "Q-MIX", "SKIP")));
            assertThat(refused).as("scope %s", partial).isInstanceOf(ScopeRefused.class)
                    .hasMessageContaining("rules all its messages");
        }
        assertThat(run(() -> queues.changePolicy(OperatorData.ERP, "ERP", "Q-MIX", "SKIP")).policy()).isEqualTo("SKIP");
    }

    @Test
    void aDeliveryOutsideTheScopeIsUnknown() {
        assertThat(run(() -> deliveries.view(OperatorData.ERP_ORDERS, "ERP", "Q-MIX-1", "alpha")).interfaceName())
                .isEqualTo("Orders");
        assertThat(notFound(() -> deliveries.view(OperatorData.ERP_ORDERS, "ERP", "Q-MIX-2", "alpha")))
                .isEqualTo("no message Q-MIX-2 of sender ERP");
        assertThat(notFound(() -> deliveries.resend(OperatorData.ERP, "SHOP", "Q-SHOP-1", "alpha")))
                .isEqualTo("no message Q-SHOP-1 of sender SHOP");
        assertThat(dispatched).isEmpty();
    }

    /** A blocked queue to alpha: its first message FAILED at the head, the others HELD, on these interfaces. */
    private void queue(String sender, String queueId, String... interfaces) {
        String queue = data.queue(sender, queueId, interfaces.length);
        String lane = data.lane(queue, "alpha");
        for (int i = 0; i < interfaces.length; i++) {
            long sequence = i + 1;
            String message = data.message(sender, queueId + "-" + sequence, interfaces[i], queueId, sequence);
            String delivery = data.delivery(message, "alpha", i == 0 ? "FAILED" : "HELD", lane, sequence);
            if (i == 0) {
                data.head(lane, delivery);
            }
        }
    }

    private List<String> listed(OperatorScope scope, String sender) {
        return run(() -> queues.list(scope, null, sender, null, null)).queues().stream()
                .map(q -> q.sender() + "/" + q.queueId()).toList();
    }

    private String notFound(Runnable action) {
        Throwable refused = catchThrowable(() -> run(() -> {
            action.run();
            return null;
        }));
        assertThat(refused).isInstanceOf(ActionRefused.class);
        assertThat(((ActionRefused) refused).reason()).isEqualTo(ActionRefused.Reason.NOT_FOUND);
        return refused.getMessage();
    }

    private <T> T run(java.util.function.Supplier<T> work) {
        return data.inTransaction(em -> work.get(), queues, deliveries, gate, attempts);
    }
}
