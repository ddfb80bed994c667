package org.courier.delivery;

import org.courier.routing.ReceiverEndpoint;

/** Where a receiver's credentials and TLS settings come from (in WildFly: {@link ElytronIdentities}). */
public interface ReceiverIdentities {

    /**
     * What Courier proves itself with to this receiver.
     *
     * @throws IdentityMissing if the receiver's configuration asks for credentials or an SSL context
     *                         that the server does not have
     */
    ReceiverIdentity of(ReceiverEndpoint receiver);

    /** For receivers that ask for nothing: the server's TLS defaults, no credentials. */
    ReceiverIdentities NONE = receiver -> {
        if (receiver.connection().usesElytron()) {
            throw new IdentityMissing("receiver \"" + receiver.name() + "\" needs credentials or TLS settings, and none are configured");
        }
        return ReceiverIdentity.NONE;
    };

    /** A receiver's configuration names credentials or TLS settings the server does not have. */
    final class IdentityMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public IdentityMissing(String message) {
            super(message);
        }
    }
}
