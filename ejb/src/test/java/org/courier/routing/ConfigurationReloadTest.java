package org.courier.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload puts a changed file in force whole or not at all, says what changed, and is seen by
 * concurrent readers as one version or the other; a dry run says the same without changing
 * anything.
 */
class ConfigurationReloadTest {

    private static final String BEFORE = """
            <courier xmlns="urn:courier:config:1">
              <receiver name="archive" url="http://localhost:9000/in"/>
              <receiver name="erp" url="http://localhost:9001/in" timeout-seconds="10"/>
              <route sender="*" interface="Orders"><to receiver="archive"/></route>
              <route sender="*" interface="Invoices"><to receiver="erp"/></route>
            </courier>
            """;
    /** archive's url changed, erp removed with its route, billing added with a route; comments and layout differ. */
    private static final String AFTER = """
            <!-- reorganised -->
            <courier xmlns="urn:courier:config:1">
              <route interface="Orders" sender="*">
                <to receiver="archive"/>
              </route>
              <receiver url="http://localhost:9100/in" name="archive"/>
              <receiver name="billing" url="http://localhost:9002/in"/>
              <route sender="*" interface="Bills"><to receiver="billing"/></route>
            </courier>
            """;

    @TempDir
    Path dir;
    private Path file;
    private String savedProperty;
    private RoutingTable table;

    @BeforeEach
    void start() throws IOException {
        savedProperty = System.getProperty(RoutingTable.CONFIG_PROPERTY);
        file = Files.writeString(dir.resolve("courier.xml"), BEFORE);
        System.setProperty(RoutingTable.CONFIG_PROPERTY, file.toString());
        table = new RoutingTable();
        table.load();
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(RoutingTable.CONFIG_PROPERTY);
        } else {
            System.setProperty(RoutingTable.CONFIG_PROPERTY, savedProperty);
        }
    }

    @Test
    void aChangedFileIsPutInForceWithWhatChanged() throws IOException {
        String before = table.inForce().version();
        Files.writeString(file, AFTER);

        RoutingTable.Reading reading = table.reload("alice");

        assertThat(reading.previous()).isEqualTo(before);
        assertThat(reading.version()).isNotEqualTo(before).hasSize(12).isEqualTo(table.inForce().version());
        assertThat(reading.changes().added()).containsExactly("receiver \"billing\"", "route sender=\"*\" interface=\"Bills\"");
        assertThat(reading.changes().removed()).containsExactly("receiver \"erp\"", "route sender=\"*\" interface=\"Invoices\"");
        assertThat(reading.changes().changed()).containsExactly("receiver \"archive\"");
        assertThat(table.inForce().by()).isEqualTo("alice");
        assertThat(table.receiver("erp")).isEmpty();
        assertThat(table.receiversFor("X", "Bills").orElseThrow()).extracting(ReceiverEndpoint::name).containsExactly("billing");
        assertThat(table.receiver("archive").orElseThrow().url().getPort()).isEqualTo(9100);
    }

    @Test
    void theSameFileAgainChangesNothing() {
        String before = table.inForce().version();

        RoutingTable.Reading reading = table.reload("alice");

        assertThat(reading.version()).isEqualTo(before);
        assertThat(reading.changes().none()).isTrue();
        assertThat(reading.changes().summary()).isEqualTo("no change");
        assertThat(table.inForce().by()).isEqualTo("deployment");
    }

    @Test
    void onlyLayoutCommentsAndAttributeOrderChangedIsANewVersionWithNoChange() throws IOException {
        Files.writeString(file, BEFORE.replace("<receiver name=\"archive\" url=\"http://localhost:9000/in\"/>",
                "<!-- the archive -->\n  <receiver url=\"http://localhost:9000/in\"   name=\"archive\" />"));

        RoutingTable.Reading reading = table.reload("alice");

        assertThat(reading.version()).isNotEqualTo(reading.previous());
        assertThat(reading.changes().none()).isTrue();
    }

    @Test
    void aBadFileChangesNothingAndSaysWhy() throws IOException {
        RoutingTable.InForce before = table.inForce();
        Files.writeString(file, AFTER.replace("<to receiver=\"billing\"/>", "<to receiver=\"biling\"/>")
                .replace("http://localhost:9002/in", "ftp://x"));

        assertThatThrownBy(() -> table.reload("alice"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.errors()).containsExactly(
                        "courier.xml:7: receiver \"billing\": url \"ftp://x\" is not an absolute http(s) URL (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)",
                        "courier.xml:8: route sender=\"*\" interface=\"Bills\": receiver \"biling\" is not declared"
                                + " (no <receiver name=\"biling\" .../>)"));

        assertThat(table.inForce()).isSameAs(before);
        assertThat(table.receiver("erp")).isPresent();
    }

    @Test
    void aMissingFileChangesNothingAndSaysWhy() throws IOException {
        RoutingTable.InForce before = table.inForce();
        Files.delete(file);

        assertThatThrownBy(() -> table.reload("alice")).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> assertThat(e.errors()).containsExactly("courier.xml: the file does not exist"));
        assertThat(table.inForce()).isSameAs(before);
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndChangesNothing() {
        RoutingTable.InForce before = table.inForce();

        RoutingTable.Reading reading = table.check(AFTER.getBytes(UTF_8));

        assertThat(reading.previous()).isEqualTo(before.version());
        assertThat(reading.changes().summary()).isEqualTo("added receiver \"billing\", route sender=\"*\" interface=\"Bills\";"
                + " removed receiver \"erp\", route sender=\"*\" interface=\"Invoices\"; changed receiver \"archive\"");
        assertThat(table.inForce()).isSameAs(before);
        assertThatThrownBy(() -> table.check("<courier xmlns=\"urn:courier:config:1\"><receiver/></courier>".getBytes(UTF_8)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.errors()).containsExactly(
                        "submitted.xml:1: receiver: missing required attribute \"name\"",
                        "submitted.xml:1: receiver: missing required attribute \"url\""));
        assertThat(table.inForce()).isSameAs(before);
    }

    /**
     * Readers on other threads, while the file is reloaded back and forth: each look-up of a
     * route finds the receivers of one version, never a route of one version and a receiver of
     * the other (Orders goes to archive in both, but on port 9000 before and 9100 after).
     */
    @Test
    void readersDuringReloadsSeeOneVersionOrTheOther() throws Exception {
        AtomicBoolean reloading = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> reads = java.util.stream.IntStream.range(0, 4).<Future<?>>mapToObj(i -> readers.submit(() -> {
                while (reloading.get()) {
                    RoutingConfiguration configuration = table.configuration();
                    Optional<List<ReceiverEndpoint>> orders = configuration.receiversFor("X", "Orders");
                    boolean after = configuration.receiver("billing").isPresent();
                    int port = orders.orElseThrow().get(0).url().getPort();
                    if (port != (after ? 9100 : 9000) || configuration.receiver("erp").isPresent() == after) {
                        seen.add("mixed: port " + port + ", billing " + after);
                    }
                }
            })).toList();
            for (int i = 0; i < 100; i++) {
                Files.writeString(file, i % 2 == 0 ? AFTER : BEFORE);
                table.reload("alice");
            }
            reloading.set(false);
            for (Future<?> read : reads) {
                read.get(30, TimeUnit.SECONDS);
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(seen).isEmpty();
    }
}
