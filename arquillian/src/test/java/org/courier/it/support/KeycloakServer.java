package org.courier.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID provider for the tests: Keycloak's distribution from Maven Central (the build unpacks
 * it into {@code target/}), started in development mode on {@value #PORT} (loopback only, in-memory
 * database) with the test realm {@code src/test/keycloak/courier-realm.json} imported: the client
 * {@code courier-monitor}, users with Courier's roles as client roles and the claims {@code senders}
 * and {@code interfaces}. The first start after unpacking also builds Keycloak's server (about a
 * minute on two cores); later ones take about 15 s. Output in {@code target/keycloak.log}.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final int PORT = 18190;

    /** The realm of the test users. */
    public static final String REALM = "courier";

    /** The provider's issuer, as the monitor is configured with it (a host name of its own, not Courier's 127.0.0.1). */
    public static final URI ISSUER = URI.create("http://localhost:" + PORT + "/realms/" + REALM);

    /** The client secret of {@code courier-monitor} in the test realm; the server reads it from its environment. */
    public static final String CLIENT_SECRET = "courier-monitor-test-secret";

    private static final Duration START_DEADLINE = Duration.ofMinutes(4);
    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");

    private final Process process;

    private KeycloakServer(Process process) {
        this.process = process;
    }

    /** Starts Keycloak with the test realm and waits until the realm answers. */
    public static KeycloakServer start() {
        Path home = Path.of(required("courier.keycloak.home"));
        Path realm = Path.of(required("courier.keycloak.realm"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak at " + home + ": the build unpacks it (arquillian/pom.xml, unpack-keycloak)");
        }
        if (listening()) {
            throw new IllegalStateException("port " + PORT + " is in use: another Keycloak (or program) runs there; stop it first");
        }
        try {
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, home.resolve("data/import").resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(TARGET);
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + PORT, "--db=dev-mem", "--import-realm")
                    .redirectErrorStream(true)
                    .redirectOutput(TARGET.resolve("keycloak.log").toFile())
                    // not the test JVM's stdin: Maven talks to the test JVM through it
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            KeycloakServer keycloak = new KeycloakServer(builder.start());
            keycloak.awaitRealm();
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak did not start (see target/keycloak.log)", e);
        }
    }

    private void awaitRealm() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(ISSUER + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak ended with exit code " + process.exitValue() + " (see target/keycloak.log)");
            }
            try {
                if (http.send(discovery, BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while Keycloak started", e);
            }
            pause();
        }
        close();
        throw new IllegalStateException("Keycloak's realm did not answer within " + START_DEADLINE + " (see target/keycloak.log)");
    }

    /** Stops Keycloak (its start script hands the signal on to the server) and waits until it is gone. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process.descendants().forEach(child -> child.onExit().join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it: arquillian/pom.xml)");
        }
        return value;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
