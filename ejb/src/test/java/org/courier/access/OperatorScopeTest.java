package org.courier.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an operator bound to senders and interfaces may see, and what needs no bounds at all. */
class OperatorScopeTest {

    @Test
    void aScopePermitsTheMessagesOfItsSendersOnItsInterfaces() {
        assertThat(OperatorData.ERP.permits("ERP", "Invoices")).isTrue();
        assertThat(OperatorData.ERP.permits("SHOP", "Orders")).isFalse();
        assertThat(OperatorData.ERP_ORDERS.permits("ERP", "Orders")).isTrue();
        assertThat(OperatorData.ERP_ORDERS.permits("ERP", "Invoices")).isFalse();
        assertThat(OperatorData.ORDERS.permits("SHOP", "Orders")).isTrue();
        assertThat(OperatorData.ORDERS.permitsSender("SHOP")).isTrue();
        assertThat(OperatorData.NOBODY.permitsSender("ERP")).isFalse();
        assertThat(OperatorScope.EVERYTHING.permits("ANY", "Thing")).isTrue();
    }

    @Test
    void boundToNoSenderOrNoInterfaceIsEmpty() {
        assertThat(OperatorData.NOBODY.empty()).isTrue();
        assertThat(new OperatorScope(null, Set.of()).empty()).isTrue();
        assertThat(OperatorData.ERP_ORDERS.empty()).isFalse();
        assertThat(OperatorScope.EVERYTHING.empty()).isFalse();
        assertThat(OperatorScope.EVERYTHING.unrestricted()).isTrue();
        assertThat(OperatorData.ORDERS.unrestricted()).isFalse();
    }

    @Test
    void anActionForEverybodyNeedsAnUnrestrictedScopeAndSaysWhy() {
        assertThatCode(() -> OperatorScope.EVERYTHING.requireUnrestricted("the resend job")).doesNotThrowAnyException();

        assertThatThrownBy(() -> OperatorData.ERP.requireUnrestricted("the resend job"))
                .isInstanceOf(ScopeRefused.class)
                .hasMessageContaining("the resend job reaches the messages of every sender")
                .hasMessageContaining("senders [ERP], interfaces all");
        assertThatThrownBy(() -> OperatorData.ORDERS.requireUnrestricted("the retention purge"))
                .isInstanceOf(ScopeRefused.class).hasMessageContaining("senders all, interfaces [Orders]");
    }
}
