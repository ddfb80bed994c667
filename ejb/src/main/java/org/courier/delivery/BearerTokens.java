package org.courier.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.courier.delivery.TokenEndpoint.BearerToken;

/**
 * OAuth 2.0 client credentials for one receiver: every request carries a bearer token from the
 * receiver's {@link TokenEndpoint}. The token is kept until shortly before it expires (its
 * lifetime less a tenth of it, at most {@link #MAX_RENEW_EARLY}), and one delivery at a time asks
 * for a new one: the others wait for its answer, no longer than the receiver's timeout, and take
 * the same token.
 *
 * <p>A 401 to a kept token drops it, and the request goes once more with a new one; a 401 to a
 * token the request itself waited for is final ({@link ReceiverAuthentication}).
 */
final class BearerTokens extends ReceiverAuthentication {

    static final Duration MAX_RENEW_EARLY = Duration.ofSeconds(60);

    /** A token's Authorization header value and when to stop using it. */
    private record Kept(String authorization, Instant renewAt) {
        @Override
        public String toString() {
            return "Kept[hidden, renew at " + renewAt + "]";
        }
    }

    private final TokenEndpoint endpoint;
    private final Duration wait;
    private final Clock clock;
    private final ReentrantLock asking = new ReentrantLock();
    private final AtomicReference<Kept> kept = new AtomicReference<>();

    BearerTokens(CloseableHttpClient http, TokenEndpoint endpoint, Duration wait, Clock clock) {
        super(http);
        this.endpoint = endpoint;
        this.wait = wait;
        this.clock = clock;
    }

    @Override
    Credential credential() throws NoToken {
        Kept token = kept.get();
        if (usable(token)) {
            return new Credential(token.authorization(), true);
        }
        return new Credential(renewed().authorization(), false);
    }

    @Override
    void refused(Credential credential) {
        kept.updateAndGet(token -> token != null && token.authorization().equals(credential.authorization()) ? null : token);
    }

    @Override
    String refusal(URI url, String body) {
        return "receiver refuses a fresh OAuth 2.0 token of client \"" + endpoint.clientId() + "\" (" + endpoint.source()
                + ") from " + endpoint.url() + ": HTTP 401 from " + url
                + "; check what the token issuer grants the client (scope, audience) and whom the receiver trusts, then resend"
                + said(body);
    }

    /** The token a delivery that just asked for one, or waited for another's question, got. */
    private Kept renewed() throws NoToken {
        try {
            if (!asking.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw endpoint.noToken("gave no token within " + wait.toSeconds() + " s (another delivery's request for one still waits)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw endpoint.noToken("was not asked: the delivery was interrupted");
        }
        try {
            Kept token = kept.get();
            if (usable(token)) {
                return token;
            }
            Instant asked = clock.instant();
            BearerToken fresh = endpoint.fetch();
            Kept renewed = new Kept("Bearer " + fresh.value(), asked.plus(fresh.lifetime()).minus(renewEarly(fresh.lifetime())));
            kept.set(renewed);
            return renewed;
        } finally {
            asking.unlock();
        }
    }

    private boolean usable(Kept token) {
        return token != null && clock.instant().isBefore(token.renewAt());
    }

    private static Duration renewEarly(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(MAX_RENEW_EARLY) < 0 ? tenth : MAX_RENEW_EARLY;
    }
}
