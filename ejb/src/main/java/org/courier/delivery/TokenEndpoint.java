package org.courier.delivery;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.util.Timeout;
import org.courier.delivery.ReceiverIdentities.IdentityMissing;
import org.courier.routing.ReceiverEndpoint;

/**
 * A receiver's OAuth 2.0 token endpoint, asked for a token with the client credentials grant
 * (RFC 6749 4.4): {@code grant_type=client_credentials} and the configured scope, the client id
 * and secret as HTTP Basic (form-urlencoded first, RFC 6749 2.3.1). The request goes through the
 * receiver's own client (its TLS and proxy settings) on a connection of its own, so that no
 * connection kept from it ever carries a delivery; it takes at most the receiver's timeout.
 *
 * <p>Every failure is a {@link NoToken} whose text names the receiver, the endpoint and what it
 * answered; never the client secret, never a token.
 */
final class TokenEndpoint {

    /** How long a token is used when its endpoint does not say ({@code expires_in} missing). */
    static final Duration UNSTATED_LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_ANSWER_READ = 16 * 1024;

    /** An access token and how long it is good for; {@link #toString()} hides the token. */
    record BearerToken(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "BearerToken[hidden, " + lifetime + "]";
        }
    }

    private record Answer(int status, String body) {
    }

    private final CloseableHttpClient http;
    private final ReceiverEndpoint receiver;
    private final URI url;
    private final String clientId;
    private final String source;
    private final String clientAuthorization;
    private final List<String> secretForms;

    TokenEndpoint(CloseableHttpClient http, ReceiverEndpoint receiver, ReceiverIdentity identity) {
        if (!identity.hasCredentials()) {
            throw new IdentityMissing("receiver \"" + receiver.name() + "\" uses OAuth 2.0, and " + identity.source()
                    + " gives no client id and secret");
        }
        this.http = http;
        this.receiver = receiver;
        this.url = receiver.connection().tokenUrl();
        this.clientId = identity.name();
        this.source = identity.source();
        String secret = new String(identity.secret());
        this.clientAuthorization = ReceiverAuthentication.basic(formEncoded(clientId), formEncoded(secret));
        this.secretForms = List.of(secret, formEncoded(secret));
    }

    URI url() {
        return url;
    }

    String clientId() {
        return clientId;
    }

    String source() {
        return source;
    }

    /** Asks the endpoint for a new token. */
    BearerToken fetch() throws NoToken {
        Answer answer;
        try {
            answer = http.execute(request(), response -> new Answer(response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), MAX_ANSWER_READ)));
        } catch (IOException e) {
            throw noToken(unreachable(e));
        } catch (RuntimeException e) {
            throw noToken("failed: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        if (answer.status() != 200) {
            throw noToken(refused(answer));
        }
        return token(answer.body());
    }

    private HttpPost request() {
        HttpPost request = new HttpPost(url);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(receiver.timeout()))
                .setConnectionRequestTimeout(Timeout.of(receiver.timeout()))
                .build());
        request.setHeader(HttpHeaders.AUTHORIZATION, clientAuthorization);
        request.setHeader(HttpHeaders.ACCEPT, "application/json");
        request.setHeader(HttpHeaders.CONNECTION, "close");
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("grant_type", "client_credentials"));
        String scope = receiver.connection().tokenScope();
        if (scope != null && !scope.isBlank()) {
            form.add(new BasicNameValuePair("scope", scope));
        }
        request.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        return request;
    }

    private BearerToken token(String body) throws NoToken {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw noToken("answered HTTP 200 without a JSON object");
        }
        String token = json.getString("access_token", "");
        if (token.isBlank()) {
            throw noToken("answered HTTP 200 without an access_token");
        }
        String type = json.getString("token_type", "Bearer");
        if (!"Bearer".equalsIgnoreCase(type)) {
            throw noToken("answered token_type \"" + type + "\"; Courier sends Bearer tokens only");
        }
        return new BearerToken(token, lifetime(json.get("expires_in")));
    }

    /** {@code expires_in} in seconds, as a number or a numeric string; missing or unusable: {@link #UNSTATED_LIFETIME}. */
    private static Duration lifetime(JsonValue expiresIn) {
        long seconds = 0;
        if (expiresIn instanceof JsonNumber number) {
            seconds = number.longValue();
        } else if (expiresIn instanceof JsonString string && string.getString().strip().matches("\\d{1,9}")) {
            seconds = Long.parseLong(string.getString().strip());
        }
        return seconds > 0 ? Duration.ofSeconds(seconds) : UNSTATED_LIFETIME;
    }

    /** An error answer (RFC 6749 5.2): {@code invalid_client} or any 401 says the client credentials are refused. */
    private String refused(Answer answer) {
        String error = null;
        String description = null;
        try (JsonReader reader = Json.createReader(new StringReader(answer.body()))) {
            JsonObject json = reader.readObject();
            error = json.getString("error", null);
            description = json.getString("error_description", null);
        } catch (JsonException | IllegalStateException e) {
            // not an OAuth 2.0 error object: its start is shown as it is
        }
        String what = "answered HTTP " + answer.status() + (error == null ? "" : " " + error)
                + (description == null ? "" : " (" + description + ")");
        if ("invalid_client".equals(error) || answer.status() == 401) {
            return what + " for client id \"" + clientId + "\" (" + source
                    + "): the client credentials are refused; fix them, then resend"
                    + (error == null ? ReceiverClient.bodyHintOf(answer.body()) : "");
        }
        return what + (error == null ? ReceiverClient.bodyHintOf(answer.body()) : "");
    }

    private String unreachable(IOException e) {
        if (e instanceof ConnectTimeoutException) {
            return "could not be reached within " + ReceiverConnections.connectTimeout(receiver).toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "refused the connection";
        }
        if (e instanceof UnknownHostException) {
            return "is on an unknown host";
        }
        if (e instanceof SocketTimeoutException) {
            return "gave no answer within " + receiver.timeout().toSeconds() + " s";
        }
        return "failed: " + e.getClass().getSimpleName() + " " + e.getMessage();
    }

    /** "no OAuth 2.0 token for receiver X: token endpoint URL " and what went wrong, the secret hidden should the endpoint echo it. */
    NoToken noToken(String what) {
        String hidden = what;
        for (String secret : secretForms) {
            if (!secret.isEmpty()) {
                hidden = hidden.replace(secret, "(secret)");
            }
        }
        return new NoToken("no OAuth 2.0 token for receiver " + receiver.name() + ": token endpoint " + url + " " + hidden);
    }

    private static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
