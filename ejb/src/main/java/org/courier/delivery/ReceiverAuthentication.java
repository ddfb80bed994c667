package org.courier.delivery;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.courier.routing.ReceiverEndpoint;

/**
 * How Courier proves itself to one receiver on every request it sends it (deliveries, status
 * questions, synchronous calls): no credentials, HTTP Basic ({@link BasicAuthentication}) or an
 * OAuth 2.0 bearer token ({@link BearerTokens}). One per receiver client, made with it.
 *
 * <p>A receiver that answers 401 did not process the request. To a token that came from the cache
 * that may only say the token is no longer good: it is dropped and the request is sent once more,
 * with a new token, and never a third time. Any other 401 is the receiver's last word, and
 * {@link #refusal} tells an operator whose credentials it refused. No text holds a secret.
 */
abstract class ReceiverAuthentication {

    /** The value of a request's Authorization header ({@code null}: none), and whether a 401 to it is worth one new credential. */
    record Credential(String authorization, boolean renewable) {
        static final Credential NONE = new Credential(null, false);

        @Override
        public String toString() {
            return "Credential[" + (authorization == null ? "none" : "hidden") + (renewable ? ", from the cache]" : "]");
        }
    }

    private final CloseableHttpClient http;

    ReceiverAuthentication(CloseableHttpClient http) {
        this.http = http;
    }

    static ReceiverAuthentication of(ReceiverEndpoint receiver, ReceiverIdentity identity, CloseableHttpClient http, Clock clock) {
        return switch (receiver.connection().authentication()) {
            case NONE -> new None(http);
            case BASIC -> new BasicAuthentication(http, receiver, identity);
            case OAUTH2 -> new BearerTokens(http, new TokenEndpoint(http, receiver, identity), receiver.timeout(), clock);
        };
    }

    /**
     * Sends the request with the receiver's credentials and returns what the handler made of the
     * answer; a 401 to a credential from the cache: once more with a new one.
     *
     * @throws NoToken if there is no token to send: the request did not go out
     */
    final <T> T send(ClassicHttpRequest request, HttpContext context, HttpClientResponseHandler<T> handler)
            throws IOException, NoToken {
        Credential credential = credential();
        Sent<T> sent = sendWith(credential, request, context, handler);
        if (sent.status() != HttpStatus.SC_UNAUTHORIZED) {
            return sent.answer();
        }
        refused(credential);
        return credential.renewable() ? sendWith(credential(), request, context, handler).answer() : sent.answer();
    }

    /** For an operator: why the receiver at {@code url} answered 401 with this body, and what to do. */
    abstract String refusal(URI url, String body);

    /** The credential for the next request. */
    abstract Credential credential() throws NoToken;

    /** The receiver answered 401 to this credential. */
    void refused(Credential credential) {
    }

    /** The value of an HTTP Basic Authorization header (RFC 7617, UTF-8). */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** What the receiver said, for the end of an error text ("" if nothing). */
    static String said(String body) {
        String hint = ReceiverClient.bodyHintOf(body);
        return hint.isEmpty() ? "" : "; the receiver said" + hint;
    }

    private record Sent<T>(int status, T answer) {
    }

    private <T> Sent<T> sendWith(Credential credential, ClassicHttpRequest request, HttpContext context,
                                 HttpClientResponseHandler<T> handler) throws IOException {
        if (credential.authorization() != null) {
            request.setHeader(HttpHeaders.AUTHORIZATION, credential.authorization());
        }
        int[] status = new int[1];
        T answer = http.execute(request, context, response -> {
            status[0] = response.getCode();
            return handler.handleResponse(response);
        });
        return new Sent<>(status[0], answer);
    }

    /** A receiver configured without authentication: Courier sends no credentials. */
    private static final class None extends ReceiverAuthentication {

        None(CloseableHttpClient http) {
            super(http);
        }

        @Override
        Credential credential() {
            return Credential.NONE;
        }

        @Override
        String refusal(URI url, String body) {
            return "HTTP 401 from " + url + ReceiverClient.bodyHintOf(body)
                    + "; the receiver asks for credentials, and its configuration has authentication none";
        }
    }
}
