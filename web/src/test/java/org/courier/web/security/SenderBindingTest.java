package org.courier.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.junit.jupiter.api.Test;

class SenderBindingTest {

    @Test
    void aUserActsOnlyAsTheSendersItIsBoundTo() {
        assertThat(SenderBinding.permits(List.of("ERP", "SHOP"), "ERP")).isTrue();
        assertThat(SenderBinding.permits(List.of("ERP", "SHOP"), "SHOP")).isTrue();
        assertThat(SenderBinding.permits(List.of("ERP", "SHOP"), "erp")).isFalse();
        assertThat(SenderBinding.permits(List.of("ERP"), "ERP2")).isFalse();
        assertThat(SenderBinding.permits(List.of(), "ERP")).isFalse();
    }

    @Test
    void theWildcardBindsToEverySenderButNotToNone() {
        assertThat(SenderBinding.permits(List.of("*"), "ANY-SENDER")).isTrue();
        assertThat(SenderBinding.permits(List.of("*"), null)).isFalse();
    }

    @Test
    void withoutAnAuthenticatedIdentityNothingIsPermitted() {
        assertThatThrownBy(() -> SenderBinding.check("ERP", "send as"))
                .isInstanceOfSatisfying(RequestRejected.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(FaultCode.NOT_AUTHORIZED);
                    assertThat(rejected.getMessage()).isEqualTo("user 'anonymous' may not send as sender 'ERP'");
                });
    }
}
