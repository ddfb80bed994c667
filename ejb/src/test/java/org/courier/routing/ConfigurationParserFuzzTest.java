package org.courier.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;

/**
 * The configuration parser against a fuzzer (Jazzer): any bytes as a configuration file give a
 * configuration or an {@link InvalidConfigurationException} that says what is wrong, never
 * another exception. Fuzzing run: {@code JAZZER_FUZZ=1 ./mvnw -pl ejb test -Dtest=ConfigurationParserFuzzTest}.
 */
class ConfigurationParserFuzzTest {

    @FuzzTest(maxDuration = "2m")
    @DictionaryFile(resourcePath = "/org/courier/content/xml.dict")
    void anyFileIsAConfigurationOrAnErrorThatSaysWhy(byte[] file) {
        try {
            assertThat(RoutingConfiguration.parse(new ByteArrayInputStream(file), "fuzzed.xml")).isNotNull();
        } catch (InvalidConfigurationException invalid) {
            assertThat(invalid.getMessage()).isNotBlank();
        }
    }
}
