package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import org.junit.jupiter.api.Test;

class AuditFilterTest {

    @Test
    void theActorIsTheAuthenticatedUserElseAnonymous() {
        assertThat(AuditFilter.actor(null)).isEqualTo("anonymous");
        assertThat(AuditFilter.actor(security(null))).isEqualTo("anonymous");
        assertThat(AuditFilter.actor(security(() -> "courier-it"))).isEqualTo("courier-it");
    }

    @Test
    void parametersAreListedDecodedInTheOrderGiven() {
        assertThat(AuditFilter.parameters("sender=ERP&queueId=a%2Fb&receiver=erp%23billing&flag"))
                .isEqualTo("sender=ERP&queueId=a/b&receiver=erp#billing&flag=");
        assertThat(AuditFilter.parameters("b=2&a=1&a=3")).isEqualTo("b=2&a=1&a=3");
        assertThat(AuditFilter.parameters("bad=%zz")).isEqualTo("bad=%zz");
        assertThat(AuditFilter.parameters(null)).isEmpty();
        assertThat(AuditFilter.parameters("")).isEmpty();
        assertThat(AuditFilter.parameters("receiver=x%0A2026-11-22%20INFO%20forged")).isEqualTo("receiver=x?2026-11-22 INFO forged");
    }

    @Test
    void theFirstValueOfAParameterIsReadDecoded() {
        assertThat(AuditFilter.first("messageId=m&sender=ERP%2DX&sender=SHOP", "sender")).isEqualTo("ERP-X");
        assertThat(AuditFilter.first("receiver=alpha&flag", "sender")).isNull();
        assertThat(AuditFilter.first(null, "sender")).isNull();
    }

    @Test
    void whatAResourceSaysItDidFollowsTheParameters() {
        assertThat(AuditFilter.withDetails("", "version=a->b added receiver \"x\"")).isEqualTo("version=a->b added receiver \"x\"");
        assertThat(AuditFilter.withDetails("sender=ERP", "resent 3")).isEqualTo("sender=ERP resent 3");
        assertThat(AuditFilter.withDetails("sender=ERP", null)).isEqualTo("sender=ERP");
        assertThat(AuditFilter.withDetails("", "refused: x.xml:1: bad\nforged line")).isEqualTo("refused: x.xml:1: bad?forged line");
    }

    private static SecurityContext security(Principal principal) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return null;
            }
        };
    }
}
