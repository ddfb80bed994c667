package org.courier.delivery;

import java.util.Arrays;
import javax.net.ssl.SSLContext;

/**
 * What Courier proves itself with to one receiver, as WildFly Elytron gave it: the SSL context
 * for an https receiver ({@code null}: the server's default), and a name with its secret
 * (HTTP Basic: user and password; OAuth 2.0: client id and client secret), or neither.
 *
 * <p>The secret never appears in {@link #toString()}, a log line or an error text; {@code source}
 * says where it came from, for an operator (for example "Elytron rule courier-receiver/erp").
 */
public record ReceiverIdentity(SSLContext sslContext, String name, char[] secret, String source) {

    /** Nothing from Elytron: the server's TLS defaults, no credentials. */
    public static final ReceiverIdentity NONE = new ReceiverIdentity(null, null, null, "no credentials");

    public boolean hasCredentials() {
        return name != null && secret != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceiverIdentity identity && identity.sslContext == sslContext
                && java.util.Objects.equals(identity.name, name) && Arrays.equals(identity.secret, secret)
                && java.util.Objects.equals(identity.source, source);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(System.identityHashCode(sslContext), name, Arrays.hashCode(secret), source);
    }

    @Override
    public String toString() {
        return "ReceiverIdentity[" + (name == null ? "no credentials" : "name " + name + ", secret hidden")
                + (sslContext == null ? ", server TLS defaults" : ", own SSL context") + ", from " + source + "]";
    }
}
