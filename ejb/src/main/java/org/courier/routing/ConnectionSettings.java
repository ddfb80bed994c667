package org.courier.routing;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How Courier reaches a receiver beyond its URL: how it authenticates, whose TLS settings it
 * uses, the HTTP proxy it goes through, and how many deliveries to it may run at once.
 *
 * <p>Secrets and keys never stand in the configuration file: a receiver with
 * {@code authentication} or {@code tls="elytron"} takes them from WildFly Elytron, from the
 * rule of the server's default authentication context that matches abstract type
 * {@value #ELYTRON_ABSTRACT_TYPE} and the receiver's name (docs/receivers.md).
 *
 * @param authentication how Courier proves who it is to the receiver
 * @param tokenUrl       the OAuth 2.0 token endpoint ({@link Authentication#OAUTH2} only), else {@code null}
 * @param tokenScope     the scope asked for with the token, or {@code null}
 * @param tls            whose TLS settings an https receiver is reached with
 * @param proxy          the HTTP proxy (http://host:port) requests go through, or {@code null}: direct
 * @param parallel       at most this many deliveries to the receiver at once per node, or 0: the default
 * @param downAfter      the receiver is down after this many failed attempts in a row, 0: the server's
 *                       default, {@value #NEVER_DOWN}: never
 */
public record ConnectionSettings(Authentication authentication, URI tokenUrl, String tokenScope, Tls tls, URI proxy,
                                 int parallel, int downAfter) {

    /** {@code downAfter} of a receiver that is never taken for down, however often it fails. */
    public static final int NEVER_DOWN = -1;

    /** The abstract type Courier names when it asks Elytron for a receiver's credentials and TLS settings. */
    public static final String ELYTRON_ABSTRACT_TYPE = "courier-receiver";

    /** No authentication, the server's TLS defaults, no proxy, the default parallelism. */
    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(Authentication.NONE, null, null, Tls.SERVER, null, 0);

    /** How Courier authenticates to a receiver. */
    public enum Authentication {
        /** No credentials sent. */
        NONE,
        /** HTTP Basic: user name and password from Elytron. */
        BASIC,
        /** OAuth 2.0 client credentials: client id and secret from Elytron, a bearer token from {@code tokenUrl}. */
        OAUTH2
    }

    /** Whose TLS settings an https receiver is reached with. */
    public enum Tls {
        /** The server's default trust (the JVM's trust store); no client certificate. */
        SERVER,
        /** The SSL context of the receiver's Elytron rule: its trust store, and its key as client certificate if it has one. */
        ELYTRON
    }

    public ConnectionSettings {
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(tls, "tls");
        if (authentication == Authentication.OAUTH2 && tokenUrl == null) {
            throw new IllegalArgumentException("OAuth 2.0 needs a token URL");
        }
        if (parallel < 0) {
            throw new IllegalArgumentException("parallel " + parallel + " < 0");
        }
        if (downAfter < NEVER_DOWN) {
            throw new IllegalArgumentException("down-after " + downAfter + " < " + NEVER_DOWN);
        }
    }

    /** With the server's default threshold for down. */
    public ConnectionSettings(Authentication authentication, URI tokenUrl, String tokenScope, Tls tls, URI proxy,
                              int parallel) {
        this(authentication, tokenUrl, tokenScope, tls, proxy, parallel, 0);
    }

    /** Whether Courier takes anything for this receiver from Elytron. */
    public boolean usesElytron() {
        return authentication != Authentication.NONE || tls == Tls.ELYTRON;
    }

    public Optional<URI> proxyUrl() {
        return Optional.ofNullable(proxy);
    }

    /** The receiver's own limit of deliveries at once, if the configuration sets one. */
    public OptionalInt parallelLimit() {
        return parallel == 0 ? OptionalInt.empty() : OptionalInt.of(parallel);
    }
}
