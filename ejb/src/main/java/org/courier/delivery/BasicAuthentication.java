package org.courier.delivery;

import java.net.URI;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.courier.delivery.ReceiverIdentities.IdentityMissing;
import org.courier.routing.ReceiverEndpoint;

/**
 * HTTP Basic: the receiver's user and password go with every request, without waiting for the
 * receiver to ask for them (no 401 round trip). The header is made once per receiver client. A 401
 * says the receiver refuses them: final, until an operator fixes the credential.
 */
final class BasicAuthentication extends ReceiverAuthentication {

    private final Credential credential;
    private final String user;
    private final String source;

    BasicAuthentication(CloseableHttpClient http, ReceiverEndpoint receiver, ReceiverIdentity identity) {
        super(http);
        if (!identity.hasCredentials()) {
            throw new IdentityMissing("receiver \"" + receiver.name() + "\" uses HTTP Basic, and " + identity.source()
                    + " gives no user and password");
        }
        this.credential = new Credential(basic(identity.name(), new String(identity.secret())), false);
        this.user = identity.name();
        this.source = identity.source();
    }

    @Override
    Credential credential() {
        return credential;
    }

    @Override
    String refusal(URI url, String body) {
        return "HTTP 401 from " + url + " with Basic credentials of user \"" + user + "\" (" + source
                + "): the receiver refuses them; fix the credential, then resend" + said(body);
    }
}
