package org.courier.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the server's readiness (WildFly's MicroProfile Health on the management interface,
 * {@code /health/ready}): the overall status and one named check with its data.
 */
public final class ServerHealth {

    public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:9990/health/ready");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;

    public ServerHealth() {
        this(DEFAULT_ENDPOINT);
    }

    public ServerHealth(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The whole answer: 200 with status UP, 503 with status DOWN. */
    public Readiness readiness() {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            var response = HTTP.send(request, BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 503) {
                throw new IllegalStateException("GET " + endpoint + " answered " + response.statusCode() + ": " + response.body());
            }
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                return new Readiness(response.statusCode(), reader.readObject());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + endpoint, e);
        }
    }

    /** One answer of the readiness endpoint. */
    public record Readiness(int httpStatus, JsonObject body) {

        public String status() {
            return body.getString("status");
        }

        /** The check of this name, if the answer has one. */
        public Optional<Check> check(String name) {
            return body.getJsonArray("checks").stream()
                    .map(JsonValue::asJsonObject)
                    .filter(check -> name.equals(check.getString("name")))
                    .findFirst()
                    .map(Check::new);
        }
    }

    /** One check: its status and its data. */
    public record Check(JsonObject json) {

        public String status() {
            return json.getString("status");
        }

        public JsonObject data() {
            return json.containsKey("data") ? json.getJsonObject("data") : JsonValue.EMPTY_JSON_OBJECT;
        }

        public String text(String key) {
            return data().getString(key, null);
        }

        /** A number in the data; empty when the check left it out. */
        public Optional<Long> number(String key) {
            return data().containsKey(key) ? Optional.of(data().getJsonNumber(key).longValue()) : Optional.empty();
        }
    }
}
