package org.courier.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's Prometheus scrape (WildFly's Micrometer registry on the management
 * interface): one sample by metric name and one label.
 */
public final class ServerMetrics {

    public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:9990/prometheus");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+).*$");

    private final URI endpoint;

    public ServerMetrics() {
        this(DEFAULT_ENDPOINT);
    }

    public ServerMetrics(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The whole scrape, as text. */
    public String scrape() {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            var response = HTTP.send(request, BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + endpoint + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping " + endpoint, e);
        }
    }

    /** The value of the sample {@code name} of a meter without tags of its own (WildFly adds its deployment's); empty if none. */
    public OptionalDouble value(String name) {
        return first(name, labels -> true);
    }

    /** The value of the sample {@code name} whose labels include {@code label="value"}; empty if none. */
    public OptionalDouble value(String name, String label, String value) {
        String wanted = label + "=\"" + value + "\"";
        return first(name, labels -> labels != null && labels.contains(wanted));
    }

    /** The sum of every sample {@code name}, whatever its labels (a tagged counter's total); 0 if none. */
    public double sum(String name) {
        double sum = 0;
        for (String line : scrape().split("\n")) {
            Matcher sample = SAMPLE.matcher(line.strip());
            if (sample.matches() && sample.group(1).equals(name)) {
                sum += Double.parseDouble(sample.group(3));
            }
        }
        return sum;
    }

    private OptionalDouble first(String name, Predicate<String> labels) {
        for (String line : scrape().split("\n")) {
            Matcher sample = SAMPLE.matcher(line.strip());
            if (sample.matches() && sample.group(1).equals(name) && labels.test(sample.group(2))) {
                return OptionalDouble.of(Double.parseDouble(sample.group(3)));
            }
        }
        return OptionalDouble.empty();
    }
}
