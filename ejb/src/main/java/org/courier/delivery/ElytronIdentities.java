package org.courier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.courier.routing.ConnectionSettings;
import org.courier.routing.ReceiverEndpoint;
import org.wildfly.security.auth.client.AuthenticationConfiguration;
import org.wildfly.security.auth.client.AuthenticationContext;
import org.wildfly.security.auth.client.AuthenticationContextConfigurationClient;

/**
 * A receiver's credentials and SSL context from WildFly Elytron, configured by CLI like the rest of
 * the server: the rule of the server's default authentication context
 * ({@code /subsystem=elytron:write-attribute(name=default-authentication-context, ...)}) that matches
 * abstract type {@value ConnectionSettings#ELYTRON_ABSTRACT_TYPE} and the receiver's name as abstract
 * type authority (or, like any Elytron client rule, its URL's host and port). Its
 * authentication-configuration gives the name ({@code authentication-name}) and the secret
 * ({@code credential-reference} into a credential store); its ssl-context the trust store and,
 * if it has a key manager, the client certificate. See docs/receivers.md.
 */
@ApplicationScoped
public class ElytronIdentities implements ReceiverIdentities {

    private static final AuthenticationContextConfigurationClient CLIENT = AuthenticationContextConfigurationClient.ACTION.run();

    @Override
    public ReceiverIdentity of(ReceiverEndpoint receiver) {
        ConnectionSettings settings = receiver.connection();
        if (!settings.usesElytron()) {
            return ReceiverIdentity.NONE;
        }
        String rule = "Elytron rule " + ConnectionSettings.ELYTRON_ABSTRACT_TYPE + "/" + receiver.name();
        AuthenticationContext context = AuthenticationContext.captureCurrent();
        List<String> missing = new ArrayList<>();
        SSLContext ssl = null;
        if (settings.tls() == ConnectionSettings.Tls.ELYTRON) {
            try {
                ssl = CLIENT.getSSLContext(receiver.url(), context, ConnectionSettings.ELYTRON_ABSTRACT_TYPE, receiver.name());
                if (ssl == SSLContext.getDefault()) {
                    ssl = null;
                }
            } catch (GeneralSecurityException e) {
                throw new IdentityMissing(subject(receiver) + ": its Elytron SSL context cannot be made: " + e.getMessage());
            }
            if (ssl == null) {
                missing.add("tls=\"elytron\" needs an ssl-context (a client-ssl-context with the receiver's trust store,"
                        + " and a key manager for a client certificate)");
            }
        }
        String name = null;
        char[] secret = null;
        if (settings.authentication() != ConnectionSettings.Authentication.NONE) {
            AuthenticationConfiguration configuration = CLIENT.getAuthenticationConfiguration(receiver.url(), context, -1,
                    ConnectionSettings.ELYTRON_ABSTRACT_TYPE, receiver.name());
            CallbackHandler handler = CLIENT.getCallbackHandler(configuration);
            name = ask(handler, new NameCallback("name"));
            secret = askSecret(handler);
            String what = settings.authentication() == ConnectionSettings.Authentication.BASIC
                    ? "authentication=\"basic\" needs a user name and password"
                    : "authentication=\"oauth2\" needs a client id and client secret";
            if (name == null || name.isEmpty() || "anonymous".equals(name) || secret == null || secret.length == 0) {
                missing.add(what + " (an authentication-configuration with authentication-name and a credential-reference)");
                name = null;
                secret = null;
            }
        }
        if (!missing.isEmpty()) {
            throw new IdentityMissing(subject(receiver) + ": " + String.join("; ", missing) + ", and the server's default"
                    + " authentication context has none for it: add them with a match-rule {match-abstract-type="
                    + ConnectionSettings.ELYTRON_ABSTRACT_TYPE + ", match-abstract-type-authority=" + receiver.name()
                    + "} (docs/receivers.md)");
        }
        return new ReceiverIdentity(ssl, name, secret, rule);
    }

    private static String subject(ReceiverEndpoint receiver) {
        return "receiver \"" + receiver.name() + "\"";
    }

    private static String ask(CallbackHandler handler, NameCallback callback) {
        try {
            handler.handle(new Callback[] {callback});
            return callback.getName();
        } catch (UnsupportedCallbackException | IOException e) {
            return null;
        }
    }

    private static char[] askSecret(CallbackHandler handler) {
        PasswordCallback callback = new PasswordCallback("secret", false);
        try {
            handler.handle(new Callback[] {callback});
            return callback.getPassword();
        } catch (UnsupportedCallbackException | IOException e) {
            return null;
        } finally {
            callback.clearPassword();
        }
    }

    static SSLContext serverDefault() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no default SSL context", e);
        }
    }
}
