package org.courier.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.courier.access.OperatorScope;
import org.junit.jupiter.api.Test;

/** Who is refused the whole admin API, and the reason it is told; how the realm's values bind. */
class ScopeFilterTest {

    @Test
    void anOperatorBoundToNoSenderIsToldSoAndWhatToAskFor() {
        assertThat(ScopeFilter.refusal(new Caller("night-shift", new OperatorScope(Set.of(), null))))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("user 'night-shift' is bound to no sender (realm attribute 'senders')")
                        .contains("ask an administrator"));
        assertThat(ScopeFilter.refusal(new Caller("x", new OperatorScope(null, Set.of()))))
                .hasValueSatisfying(reason -> assertThat(reason).contains("bound to no interface"));
    }

    @Test
    void anOperatorBoundToSomethingIsLetThrough() {
        assertThat(ScopeFilter.refusal(new Caller("erp-operator", new OperatorScope(Set.of("ERP"), null)))).isEmpty();
        assertThat(ScopeFilter.refusal(new Caller("lead", OperatorScope.EVERYTHING))).isEmpty();
    }

    @Test
    void theValueStarBindsToEveryOne() {
        assertThat(Caller.bound(List.of("*"))).isNull();
        assertThat(Caller.bound(List.of("ERP", "SHOP"))).containsExactly("ERP", "SHOP");
        assertThat(Caller.bound(List.of())).isEmpty();
    }
}
