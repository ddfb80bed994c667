package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test server's configuration file ({@code -Dcourier.test.config}) as a test changes it: elements
 * added before {@code </courier>} and put in force with a reload (channels, which the shared file
 * leaves out), then the file put back.
 */
public final class TestConfiguration {

    private final Path file = Path.of(System.getProperty("courier.test.config"));
    private final CourierAdmin admin;
    private final String original;

    private TestConfiguration(CourierAdmin admin) throws IOException {
        this.admin = admin;
        this.original = Files.readString(file, UTF_8);
    }

    /** The file as it is now, to be put back later. */
    public static TestConfiguration current(CourierAdmin admin) throws IOException {
        return new TestConfiguration(admin);
    }

    /** Adds {@code elements} to the file as it was and puts it in force; the reload's answer. */
    public String inForce(String elements) throws IOException {
        Files.writeString(file, original.replace("</courier>", elements + "</courier>"), UTF_8);
        HttpResponse<String> reload = admin.reloadConfiguration();
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        return reload.body();
    }

    /** Writes the file back as it was (a server started later reads it). */
    public void putBack() throws IOException {
        Files.writeString(file, original, UTF_8);
    }

    /** Writes the file back and puts it in force again. */
    public void restore() throws IOException {
        putBack();
        HttpResponse<String> restored = admin.reloadConfiguration();
        assertThat(restored.statusCode()).as("the original configuration back in force: %s", restored.body()).isEqualTo(200);
    }
}
