package org.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RoutingTable} outside the container: its start-up is a plain method call. */
class RoutingTableTest {

    private String savedProperty;

    @BeforeEach
    void saveProperty() {
        savedProperty = System.getProperty(RoutingTable.CONFIG_PROPERTY);
        System.clearProperty(RoutingTable.CONFIG_PROPERTY);
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
    void unsetPropertyFailsWithInstructions() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RoutingTable().load());

        assertEquals("System property courier.config is not set: start WildFly with "
                + "-Dcourier.config=/path/to/courier.xml (see README)", e.getMessage());
    }

    @Test
    void loadsTheConfiguredFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("courier.xml"), """
                <courier xmlns="urn:courier:config:1">
                  <limits max-payload-bytes="4096"/>
                  <receiver name="archive" url="http://localhost:9000/in"/>
                  <receiver name="erp" url="http://localhost:9001/in"/>
                  <route sender="*" interface="SampleOrder"><to receiver="archive"/></route>
                  <route sender="shop" interface="SampleOrder"><to receiver="erp"/></route>
                </courier>
                """);
        System.setProperty(RoutingTable.CONFIG_PROPERTY, file.toString());
        RoutingTable table = new RoutingTable();

        table.load();

        assertEquals(4096, table.maxPayloadBytes());
        assertEquals(2, table.configuration().receivers().size());
        assertEquals(List.of(table.receiver("erp").orElseThrow()),
                table.receiversFor("shop", "SampleOrder").orElseThrow());
        assertEquals(Optional.empty(), table.receiversFor("shop", "Invoice"));
    }

    @Test
    void invalidFileFailsWithTheErrors(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("courier.xml"), """
                <courier xmlns="urn:courier:config:1">
                  <route sender="*" interface="SampleOrder"><to receiver="archive"/></route>
                </courier>
                """);
        System.setProperty(RoutingTable.CONFIG_PROPERTY, file.toString());

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new RoutingTable().load());

        assertTrue(e.getMessage().startsWith("Courier configuration " + file.toAbsolutePath() + " is invalid:"));
        assertEquals(1, e.errors().size());
        assertTrue(e.errors().get(0).startsWith("courier.xml:2: "), e.getMessage());
    }

    @Test
    void missingFileFailsClearly(@TempDir Path dir) {
        System.setProperty(RoutingTable.CONFIG_PROPERTY, dir.resolve("missing.xml").toString());

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new RoutingTable().load());

        assertTrue(e.getMessage().contains("missing.xml: the file does not exist"), e.getMessage());
    }
}
