package org.courier.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The sample configuration the README starts Courier with stays valid and routes its samples. */
class SampleConfigurationTest {

    @Test
    void theSampleConfigurationIsValid() {
        RoutingConfiguration sample = RoutingConfiguration.parse(Path.of("..", "config", "courier.xml"));

        assertThat(sample.routeFor("ERP", "SampleOrder")).isPresent();
        assertThat(sample.sapRmChannel("erp-orders")).contains(new SapRmChannel("erp-orders", "ERP", "SampleOrder"));
        assertThat(sample.routeFor("SHOP", "SampleQuote").orElseThrow().callMode()).isEqualTo(CallMode.IDEMPOTENT);
        assertThat(sample.routeFor("SHOP", "SampleLine").orElseThrow().aggregator()).isEqualTo("sample-bundler");
        assertThat(sample.aggregator("sample-bundler").orElseThrow().correlation()
                .idOf("<line xmlns=\"urn:example:orders\"><order>4711</order><no>1</no></line>")).isEqualTo("4711");
    }
}
