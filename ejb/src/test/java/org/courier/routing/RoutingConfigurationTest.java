package org.courier.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingConfigurationTest {

    private static final String VALID = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- routing for the test -->
            <courier xmlns="urn:courier:config:1">
              <route sender="*" interface="SampleOrder">
                <to receiver="archive"/>
              </route>
              <route sender="shop" interface="SampleOrder">
                <to receiver="erp"/>
                <to receiver="archive"/>
              </route>
              <receiver name="archive" url="http://localhost:9000/in"/>
              <receiver name="erp" url="https://erp.example.com:8443/courier" timeout-seconds="5"/>
            </courier>
            """;

    static RoutingConfiguration parse(String xml) {
        return RoutingConfiguration.parse(new ByteArrayInputStream(xml.getBytes(UTF_8)), "test.xml");
    }

    @Test
    void validFileParsesWithDefaults() {
        RoutingConfiguration configuration = parse(VALID);

        assertEquals(1_048_576L, configuration.maxPayloadBytes());
        assertEquals(List.of(
                        new ReceiverEndpoint("archive", URI.create("http://localhost:9000/in"), Duration.ofSeconds(30)),
                        new ReceiverEndpoint("erp", URI.create("https://erp.example.com:8443/courier"), Duration.ofSeconds(5))),
                List.copyOf(configuration.receivers()));
        assertEquals(List.of(
                        new Route("*", "SampleOrder", List.of("archive")),
                        new Route("shop", "SampleOrder", List.of("erp", "archive"))),
                configuration.routes());
        assertEquals(Optional.of(Duration.ofSeconds(5)), configuration.receiver("erp").map(ReceiverEndpoint::timeout));
        assertEquals(Optional.empty(), configuration.receiver("nobody"));
    }

    @Test
    void receiversAreNonIdempotentAndHoldDoubtsUnlessDeclaredOtherwise() {
        RoutingConfiguration configuration = parse("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="plain" url="http://a/"/>
                  <receiver name="dedup" url="http://b/" idempotent="true"/>
                  <receiver name="checked" url="http://c/in" idempotent="false" in-doubt="retry" status-url="http://c/status"/>
                </courier>
                """);

        ReceiverEndpoint plain = configuration.receiver("plain").orElseThrow();
        assertEquals(false, plain.idempotent());
        assertEquals(InDoubtPolicy.HOLD, plain.inDoubt());
        assertEquals(Optional.empty(), plain.statusCheck());
        assertEquals(true, configuration.receiver("dedup").orElseThrow().idempotent());
        ReceiverEndpoint checked = configuration.receiver("checked").orElseThrow();
        assertEquals(InDoubtPolicy.RETRY, checked.inDoubt());
        assertEquals(Optional.of(URI.create("http://c/status")), checked.statusCheck());
    }

    @Test
    void limitsAndTimeoutBoundsAreAccepted() {
        RoutingConfiguration configuration = parse("""
                <courier xmlns="urn:courier:config:1">
                  <limits max-payload-bytes="67108864"/>
                  <receiver name="a" url="http://a/" timeout-seconds="1"/>
                  <receiver name="b" url="http://b/" timeout-seconds="3600"/>
                </courier>
                """);

        assertEquals(67_108_864L, configuration.maxPayloadBytes());
        assertEquals(Duration.ofSeconds(1), configuration.receiver("a").orElseThrow().timeout());
        assertEquals(Duration.ofHours(1), configuration.receiver("b").orElseThrow().timeout());
    }

    @Test
    void emptyConfigurationIsValid() {
        RoutingConfiguration configuration = parse("<courier xmlns=\"urn:courier:config:1\"/>");

        assertTrue(configuration.receivers().isEmpty());
        assertTrue(configuration.routes().isEmpty());
        assertEquals(1_048_576L, configuration.maxPayloadBytes());
    }

    @Test
    void exactRouteBeatsAnySenderRoute() {
        RoutingConfiguration configuration = parse(VALID);

        assertEquals(List.of("erp", "archive"), names(configuration.receiversFor("shop", "SampleOrder")));
    }

    @Test
    void anySenderRouteAppliesToOtherSenders() {
        RoutingConfiguration configuration = parse(VALID);

        assertEquals(List.of("archive"), names(configuration.receiversFor("warehouse", "SampleOrder")));
    }

    @Test
    void noRouteForUnknownInterface() {
        RoutingConfiguration configuration = parse(VALID);

        assertEquals(Optional.empty(), configuration.receiversFor("shop", "Invoice"));
    }

    @Test
    void exactRouteDoesNotApplyToOtherSenders() {
        RoutingConfiguration configuration = parse("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://erp/"/>
                  <route sender="shop" interface="Invoice"><to receiver="erp"/></route>
                </courier>
                """);

        assertEquals(Optional.empty(), configuration.receiversFor("warehouse", "Invoice"));
        assertEquals(List.of("erp"), names(configuration.receiversFor("shop", "Invoice")));
    }

    @Test
    void allowedCharactersInNamesAndInterfaces() {
        String name = "A-z_0.9".repeat(8) + "abcd"; // 60 characters
        String interfaceName = "urn:example.com/Orders_v1-2".repeat(4) + "x".repeat(12); // 120 characters
        RoutingConfiguration configuration = parse("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="%s" url="http://r/"/>
                  <route sender="%s" interface="%s"><to receiver="%s"/></route>
                </courier>
                """.formatted(name, name, interfaceName, name));

        assertEquals(List.of(name), names(configuration.receiversFor(name, interfaceName)));
    }

    @Test
    void resultIsUnmodifiable() {
        RoutingConfiguration configuration = parse(VALID);

        assertThrows(UnsupportedOperationException.class, () -> configuration.receivers().clear());
        assertThrows(UnsupportedOperationException.class, () -> configuration.routes().clear());
        assertThrows(UnsupportedOperationException.class,
                () -> configuration.receiversFor("shop", "SampleOrder").orElseThrow().clear());
    }

    @Test
    void parsesFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("courier.xml"), VALID);

        assertEquals(2, RoutingConfiguration.parse(file).receivers().size());
    }

    @Test
    void invalidFileNamesPathAndFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("courier.xml"), """
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="ftp://x"/>
                </courier>
                """);

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RoutingConfiguration.parse(file));

        assertEquals("Courier configuration " + file.toAbsolutePath() + " is invalid:\n"
                        + "  courier.xml:2: receiver \"archive\": url \"ftp://x\" is not an absolute http(s) URL (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)",
                e.getMessage());
    }

    @Test
    void missingFileIsReportedClearly(@TempDir Path dir) {
        Path file = dir.resolve("nowhere.xml");

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RoutingConfiguration.parse(file));

        assertEquals("Courier configuration " + file.toAbsolutePath() + " cannot be read:\n"
                + "  nowhere.xml: the file does not exist", e.getMessage());
        assertEquals(List.of("nowhere.xml: the file does not exist"), e.errors());
    }

    @Test
    void directoryIsReportedClearly(@TempDir Path dir) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RoutingConfiguration.parse(dir));

        assertTrue(e.getMessage().startsWith("Courier configuration " + dir.toAbsolutePath() + " cannot be read:"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("it is a directory, not a file"), e.getMessage());
    }

    @Test
    void sampleConfigurationIsValid() {
        Path sample = Path.of(System.getProperty("basedir", "."), "..", "config", "courier.xml");

        RoutingConfiguration configuration = RoutingConfiguration.parse(sample);

        ReceiverEndpoint receiver = configuration.receiver("sample-receiver").orElseThrow();
        assertEquals(URI.create("http://localhost:8080/courier/sample-receiver"), receiver.url());
        assertEquals(Duration.ofSeconds(10), receiver.timeout());
        assertEquals(List.of(receiver), configuration.receiversFor("any-sender", "SampleOrder").orElseThrow());
        assertEquals(1_048_576L, configuration.maxPayloadBytes());
    }

    private static List<String> names(Optional<List<ReceiverEndpoint>> receivers) {
        return receivers.orElseThrow().stream().map(ReceiverEndpoint::name).toList();
    }

    @Test
    void callModesAndAggregatorsAreRead() {
        RoutingConfiguration configuration = parse("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://erp/"/>
                  <aggregator name="bundler" interface="Bundle" correlation="/o:line/o:order" complete-count="10"
                              timeout-seconds="60" xmlns:o="urn:example:orders"/>
                  <aggregator name="slow" interface="Bundle" correlation="/line/order" timeout-seconds="5"/>
                  <route sender="*" interface="Quote" call="idempotent"><to receiver="erp"/></route>
                  <route sender="*" interface="Price"><to receiver="erp"/></route>
                  <route sender="*" interface="Lines"><aggregate aggregator="bundler"/></route>
                  <route sender="*" interface="Bundle"><to receiver="erp"/></route>
                </courier>
                """);

        assertEquals(CallMode.IDEMPOTENT, configuration.routeFor("ERP", "Quote").orElseThrow().callMode());
        assertEquals(CallMode.BEST_EFFORT, configuration.routeFor("ERP", "Price").orElseThrow().callMode());
        Route lines = configuration.routeFor("ERP", "Lines").orElseThrow();
        assertEquals("bundler", lines.aggregator());
        assertEquals(List.of(), lines.targets());
        AggregatorDefinition bundler = configuration.aggregator("bundler").orElseThrow();
        assertEquals(10, bundler.releaseCount());
        assertEquals(Duration.ofSeconds(60), bundler.timeout());
        assertEquals("4711", bundler.correlation().idOf("<line xmlns=\"urn:example:orders\"><order>4711</order></line>"));
        AggregatorDefinition slow = configuration.aggregator("slow").orElseThrow();
        assertEquals(AggregatorDefinition.MAX_MEMBERS, slow.releaseCount(), "only the timeout (or the maximum) releases");
    }

    @Test
    void sapProtocolsAreRead() {
        RoutingConfiguration configuration = parse("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="xi" url="http://xi/" protocol="xi" id-format="xi" id-mapping="derived"/>
                  <receiver name="rm" url="http://rm/?channel=c" protocol="sap-rm" id-format="sap-rm"/>
                  <receiver name="plain" url="http://plain/"/>
                  <route sender="*" interface="Orders"><to receiver="plain"/></route>
                  <sap-rm-channel name="erp-orders" sender="ERP" interface="Orders"/>
                </courier>
                """);

        assertEquals(ReceiverProtocol.XI, configuration.receiver("xi").orElseThrow().protocol());
        assertEquals(ReceiverProtocol.SAP_RM, configuration.receiver("rm").orElseThrow().protocol());
        assertEquals(ReceiverProtocol.PLAIN, configuration.receiver("plain").orElseThrow().protocol());
        assertEquals(Optional.of(new SapRmChannel("erp-orders", "ERP", "Orders")), configuration.sapRmChannel("erp-orders"));
        assertEquals(Optional.empty(), configuration.sapRmChannel("nobody"));
    }
}
