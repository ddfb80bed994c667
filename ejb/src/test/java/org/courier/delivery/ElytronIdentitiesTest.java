package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.courier.routing.ConnectionSettings;
import org.courier.routing.ConnectionSettings.Authentication;
import org.courier.routing.ConnectionSettings.Tls;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.junit.jupiter.api.Test;
import org.wildfly.security.auth.client.AuthenticationConfiguration;
import org.wildfly.security.auth.client.AuthenticationContext;
import org.wildfly.security.auth.client.MatchRule;

/**
 * A receiver's identity from Elytron's authentication context, as WildFly's default one gives it to
 * the deployment: the rule for abstract type courier-receiver and the receiver's name.
 */
class ElytronIdentitiesTest {

    private final ElytronIdentities identities = new ElytronIdentities();

    @Test
    void aBasicReceiverGetsTheNameAndSecretOfItsOwnRule() {
        AuthenticationContext context = AuthenticationContext.empty()
                .with(rule("erp"), AuthenticationConfiguration.empty().useName("courier").usePassword("erp-secret"))
                .with(rule("crm"), AuthenticationConfiguration.empty().useName("other").usePassword("crm-secret"));

        ReceiverIdentity identity = in(context, receiver("erp", Authentication.BASIC, Tls.SERVER));

        assertThat(identity.name()).isEqualTo("courier");
        assertThat(identity.secret()).containsExactly("erp-secret".toCharArray());
        assertThat(identity.sslContext()).as("server TLS defaults").isNull();
        assertThat(identity.source()).isEqualTo("Elytron rule courier-receiver/erp");
        assertThat(identity.toString()).doesNotContain("erp-secret");
    }

    @Test
    void aReceiverWithElytronTlsGetsTheSslContextOfItsRule() throws Exception {
        SSLContext own = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        own.init(null, trust.getTrustManagers(), null);
        AuthenticationContext context = AuthenticationContext.empty().withSsl(rule("erp"), () -> own);

        ReceiverIdentity identity = in(context, receiver("erp", Authentication.NONE, Tls.ELYTRON));

        assertThat(identity.sslContext()).isSameAs(own);
        assertThat(identity.hasCredentials()).isFalse();
    }

    @Test
    void aReceiverWhoseRuleIsMissingIsRefusedWithWhatToAdd() {
        AuthenticationContext context = AuthenticationContext.empty()
                .with(rule("crm"), AuthenticationConfiguration.empty().useName("other").usePassword("crm-secret"));

        assertThatThrownBy(() -> in(context, receiver("erp", Authentication.OAUTH2, Tls.ELYTRON)))
                .isInstanceOf(ReceiverIdentities.IdentityMissing.class)
                .hasMessageContaining("receiver \"erp\"")
                .hasMessageContaining("authentication=\"oauth2\" needs a client id and client secret")
                .hasMessageContaining("tls=\"elytron\" needs an ssl-context")
                .hasMessageContaining("match-abstract-type=courier-receiver, match-abstract-type-authority=erp")
                .hasMessageNotContaining("crm-secret");
    }

    @Test
    void aRuleWithANameButNoSecretIsNotEnough() {
        AuthenticationContext context = AuthenticationContext.empty()
                .with(rule("erp"), AuthenticationConfiguration.empty().useName("courier"));

        assertThatThrownBy(() -> in(context, receiver("erp", Authentication.BASIC, Tls.SERVER)))
                .isInstanceOf(ReceiverIdentities.IdentityMissing.class)
                .hasMessageContaining("needs a user name and password");
    }

    @Test
    void aReceiverThatAsksForNothingNeedsNoRule() {
        assertThat(in(AuthenticationContext.empty(), receiver("plain", Authentication.NONE, Tls.SERVER)))
                .isSameAs(ReceiverIdentity.NONE);
    }

    private static MatchRule rule(String receiver) {
        return MatchRule.ALL.matchAbstractType(ConnectionSettings.ELYTRON_ABSTRACT_TYPE, receiver);
    }

    private ReceiverIdentity in(AuthenticationContext context, ReceiverEndpoint receiver) {
        AtomicReference<ReceiverIdentity> identity = new AtomicReference<>();
        context.run(() -> identity.set(identities.of(receiver)));
        return identity.get();
    }

    private static ReceiverEndpoint receiver(String name, Authentication authentication, Tls tls) {
        URI tokenUrl = authentication == Authentication.OAUTH2 ? URI.create("https://login.example/token") : null;
        return new ReceiverEndpoint(name, URI.create("https://" + name + ".example/in"), Duration.ofSeconds(5), true,
                InDoubtPolicy.HOLD, null, null, ReceiverProtocol.PLAIN,
                new ConnectionSettings(authentication, tokenUrl, null, tls, null, 0));
    }
}
