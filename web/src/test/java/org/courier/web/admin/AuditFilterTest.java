package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
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
    void parametersAreListedAsGivenEachValueOnce() {
        MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
        query.add("receiver", "erp");
        query.add("tag", "a");
        query.add("tag", "b");

        assertThat(AuditFilter.parameters(query)).isEqualTo("receiver=erp&tag=a&tag=b");
        assertThat(AuditFilter.parameters(new MultivaluedHashMap<>())).isEmpty();
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
