package org.courier.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.courier.it.support.TestUser;
import org.courier.it.support.WildFlyProcess;
import org.courier.loader.LoadGenerator;
import org.courier.loader.SoapSender;

/** What the benchmark and the soak share: their senders, a clean server, and where their tables go. */
final class BenchRuns {

    private static final URI SOAP = URI.create("http://127.0.0.1:8080/courier/CourierService");

    private BenchRuns() {
    }

    /** The load generator of the command-line sender, against the server's SOAP endpoint, as the integration user. */
    static LoadGenerator generator() {
        return new LoadGenerator(new SoapSender(SOAP, Duration.ofSeconds(60), TestUser.INTEGRATION.credentials()), 20);
    }

    /**
     * An empty database and broker: the figures do not depend on what earlier test runs left, and
     * (run again at the end) the test suites, which use the same server, do not start with the
     * benchmark's million stored messages (a purge then finds those first).
     */
    static void forgetEarlierRuns() throws IOException {
        Path data = WildFlyProcess.home().resolve("standalone").resolve("data");
        for (String dir : List.of("courier", "activemq", "tx-object-store")) {
            Path path = data.resolve(dir);
            if (Files.exists(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** Prints a run's table and writes it to {@code target/benchmark/<kind>-<time>.md}. */
    static void publish(String kind, String table) throws IOException {
        System.out.println(table);
        Path out = Path.of("target", "benchmark", kind + "-" + Instant.now().toString().replace(':', '-') + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println("Written to " + out.toAbsolutePath());
    }
}
