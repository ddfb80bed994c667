package org.courier.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/**
 * The published schema (config/courier-config-1.xsd) is the one the server reads with, and what
 * an editor or a pipeline checks against it agrees with the server: every configuration in the
 * repository passes a plain validator (as xmllint's), and a file the schema refuses the server
 * refuses for the same reason.
 */
class ConfigurationSchemaTest {

    private static final Path PUBLISHED = Path.of("..", "config", "courier-config-1.xsd");

    static Stream<Path> shippedConfigurations() throws IOException {
        try (Stream<Path> config = Files.list(Path.of("..", "config"));
             Stream<Path> tests = Files.list(Path.of("..", "arquillian", "src", "test", "resources"))) {
            return Stream.concat(config, tests).filter(p -> p.toString().endsWith(".xml"))
                    .filter(ConfigurationSchemaTest::isCourierConfiguration).toList().stream();
        }
    }

    private static boolean isCourierConfiguration(Path file) {
        try {
            return Files.readString(file, UTF_8).contains("<courier xmlns=\"" + ConfigurationSchema.NAMESPACE + "\"");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Validator plainValidator() throws SAXException {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return factory.newSchema(PUBLISHED.toFile()).newValidator();
    }

    @Test
    void theServerReadsWithThePublishedSchema() throws IOException {
        try (var shipped = ConfigurationSchema.resource().openStream()) {
            assertThat(shipped.readAllBytes()).isEqualTo(Files.readAllBytes(PUBLISHED));
        }
    }

    @ParameterizedTest
    @MethodSource("shippedConfigurations")
    void everyShippedConfigurationPassesAPlainValidatorAndTheServer(Path file) throws Exception {
        plainValidator().validate(new StreamSource(file.toFile()));
        assertThat(RoutingConfiguration.parse(file).receivers()).isNotEmpty();
    }

    @Test
    void theSampleNamesItsSchemaForEditors() throws IOException {
        assertThat(Files.readString(Path.of("..", "config", "courier.xml"), UTF_8))
                .contains("xsi:schemaLocation=\"urn:courier:config:1 courier-config-1.xsd\"");
    }

    /** On a server whose language is not English the findings are the same (the validator's own words are read). */
    @Test
    void theFindingsDoNotDependOnTheServersLanguage() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY);
        try {
            assertThatThrownBy(() -> RoutingConfiguration.parse(new ByteArrayInputStream("""
                    <courier xmlns="urn:courier:config:1">
                      <receiver name="a b" url="http://localhost/" timeout-seconds="0" weight="1"/>
                    </courier>
                    """.getBytes(UTF_8)), "test.xml")).isInstanceOfSatisfying(InvalidConfigurationException.class,
                    e -> assertThat(e.errors()).containsExactly(
                            "test.xml:2: receiver: name \"a b\" is not 1-60 characters of A-Z a-z 0-9 . _ -",
                            "test.xml:2: receiver \"a b\": timeout-seconds \"0\" is not a whole number from 1 to 3600",
                            "test.xml:2: receiver \"a b\": unknown attribute \"weight\""));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void aFileThePublishedSchemaRefusesTheServerRefusesForTheSameReason() {
        String file = """
                <courier xmlns="urn:courier:config:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="urn:courier:config:1 courier-config-1.xsd">
                  <receiver name="archive" url="http://localhost/" timeout-seconds="3601"/>
                  <route sender="*" interface="SampleOrder"><to receiver="archive"/></route>
                </courier>
                """;
        assertThatThrownBy(() -> plainValidator().validate(new StreamSource(new ByteArrayInputStream(file.getBytes(UTF_8)))))
                .isInstanceOf(SAXException.class).hasMessageContaining("3601");
        assertThatThrownBy(() -> RoutingConfiguration.parse(new ByteArrayInputStream(file.getBytes(UTF_8)), "test.xml"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.errors()).isEqualTo(List.of(
                        "test.xml:3: receiver \"archive\": timeout-seconds \"3601\" is not a whole number from 1 to 3600")));
    }
}
