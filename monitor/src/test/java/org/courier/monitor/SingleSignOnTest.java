package org.courier.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.servlet.api.LoginConfig;
import org.junit.jupiter.api.Test;

class SingleSignOnTest {

    @Test
    void onlyTheMethodElytronOidcClientSetsSwitchesToSingleSignOn() {
        assertThat(SingleSignOn.signsInWithOidc(new LoginConfig("OIDC", "Courier"))).isTrue();
        assertThat(SingleSignOn.signsInWithOidc(new LoginConfig("FORM", "Courier", "/login.html", "/login.html"))).isFalse();
        assertThat(SingleSignOn.signsInWithOidc(new LoginConfig("BASIC", "Courier"))).isFalse();
        assertThat(SingleSignOn.signsInWithOidc(null)).isFalse();
    }
}
