package org.courier.routing;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

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
 * @param name    the receiver's name, 1-60 characters of {@code A-Z a-z 0-9 . _ -}
 * @param url     the absolute http or https URL messages are delivered to
 * @param timeout how long one delivery attempt may take
 */
public record ReceiverEndpoint(String name, URI url, Duration timeout) {

    /** Rejects missing values; the format rules are enforced when the file is parsed. */
    public ReceiverEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
    }
}
