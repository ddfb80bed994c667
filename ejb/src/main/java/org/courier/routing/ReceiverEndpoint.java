package org.courier.routing;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.courier.idmapping.IdMappingRule;

/**
 * A receiver: a system Courier delivers messages to, declared once by a {@code <receiver>}
 * element of the routing configuration.
 *
 * <p>The name identifies the receiver in routes and is unique within a configuration.
 * Messages are delivered by HTTP(S) to {@code url}; a delivery attempt that takes longer
 * than {@code timeout} counts as failed. A configuration read by
 * {@link RoutingConfiguration#parse} only ever holds absolute http or https URLs and
 * timeouts of 1 to 3600 seconds.
 *
 * <p>An {@code idempotent} receiver recognises a message it got before by the id Courier
 * sends, so any attempt may safely be repeated. For any other receiver Courier records each
 * attempt before it sends it, and an attempt without an outcome is <em>in doubt</em>: it is
 * resolved by asking the receiver's {@code statusUrl} if it has one, and otherwise handled by
 * {@code inDoubt}.
 *
 * @param name       the receiver's name, 1-60 characters of {@code A-Z a-z 0-9 . _ -}
 * @param url        the absolute http or https URL messages are delivered to
 * @param timeout    how long one delivery attempt may take
 * @param idempotent whether the receiver deduplicates by message id itself
 * @param inDoubt    what to do with an in-doubt delivery (non-idempotent receivers only)
 * @param statusUrl  where to ask whether the receiver got a message, or {@code null}
 * @param idMapping  how the receiver's message ids are made from the sender's, or {@code null}:
 *                   it gets the sender's id
 * @param protocol   how a delivery is framed: plain, SAP RM (URL parameters) or XI 3.0 (SOAP header)
 * @param connection how it is reached: authentication, TLS, proxy, parallelism
 */
public record ReceiverEndpoint(String name, URI url, Duration timeout, boolean idempotent, InDoubtPolicy inDoubt,
                               URI statusUrl, IdMappingRule idMapping, ReceiverProtocol protocol,
                               ConnectionSettings connection) {

    /** Rejects missing values; the format rules are enforced when the file is parsed. */
    public ReceiverEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(inDoubt, "inDoubt");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(connection, "connection");
    }

    /** A receiver reached directly, without authentication, with the server's TLS settings. */
    public ReceiverEndpoint(String name, URI url, Duration timeout, boolean idempotent, InDoubtPolicy inDoubt,
                            URI statusUrl, IdMappingRule idMapping, ReceiverProtocol protocol) {
        this(name, url, timeout, idempotent, inDoubt, statusUrl, idMapping, protocol, ConnectionSettings.DEFAULTS);
    }

    /** A receiver spoken to with plain HTTP. */
    public ReceiverEndpoint(String name, URI url, Duration timeout, boolean idempotent, InDoubtPolicy inDoubt,
                            URI statusUrl, IdMappingRule idMapping) {
        this(name, url, timeout, idempotent, inDoubt, statusUrl, idMapping, ReceiverProtocol.PLAIN);
    }

    /** A non-idempotent receiver with the defaults: in-doubt deliveries are held, no status URL. */
    public ReceiverEndpoint(String name, URI url, Duration timeout) {
        this(name, url, timeout, false, InDoubtPolicy.HOLD, null, null);
    }

    /** How the receiver's ids are mapped, if it needs ids of its own form. */
    public Optional<IdMappingRule> idMappingRule() {
        return Optional.ofNullable(idMapping);
    }

    /** Whether the receiver can be asked if it got a message. */
    public Optional<URI> statusCheck() {
        return Optional.ofNullable(statusUrl);
    }
}
