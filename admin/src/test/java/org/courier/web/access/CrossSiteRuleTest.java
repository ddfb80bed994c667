package org.courier.web.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.courier.web.access.CrossSiteRule.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CrossSiteRuleTest {

    private final CrossSiteRule rule = new CrossSiteRule(Set.of("https://courier.example.com"));

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "get"})
    void readsPassWhateverTheirOrigin(String method) {
        assertThat(rule.refusal(new Request(method, "localhost:8080", false, "http://evil.example", "cross-site", null))).isEmpty();
    }

    @Test
    void aScriptWithTheHeaderActs() {
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, null, null, "1"))).isEmpty();
    }

    @Test
    void courierOwnPageActs() {
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "http://localhost:8080", "same-origin", "monitor")))
                .isEmpty();
        assertThat(rule.refusal(new Request("PUT", "localhost:8443", true, "https://localhost:8443", "same-origin", "monitor")))
                .isEmpty();
    }

    @Test
    void withoutTheHeaderNothingActsNotEvenFromCourierOwnOrigin() {
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "http://localhost:8080", "same-origin", null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("X-Courier-Request"));
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, null, null, " ")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("X-Courier-Request"));
    }

    @Test
    void theFormOfAnotherOriginIsRefusedEvenOnTheSameHost() {
        // an auto-submitted form: no custom header, the browser names the page's origin
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "http://localhost:18099", "same-site", null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("Sec-Fetch-Site: same-site"));
        // a browser that sends no Sec-Fetch-Site still names the origin
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "http://localhost:18099", null, "forged")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("http://localhost:18099"));
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "https://localhost:8080", null, "forged")))
                .isEmpty(); // same host and port: TLS ended by a proxy in front of Courier
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "http://localhost", null, "forged")))
                .isPresent();
    }

    @Test
    void aBlankedOriginOfCourierOwnPageActsWhenTheFetchMetadataSaysSameOrigin() {
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "null", "same-origin", "monitor"))).isEmpty();
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "null", null, "monitor"))).isPresent();
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "null", "cross-site", "monitor"))).isPresent();
    }

    @Test
    void crossSiteAndOpaqueOriginsAreRefused() {
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, null, "cross-site", "forged"))).isPresent();
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "null", null, "forged"))).isPresent();
        assertThat(rule.refusal(new Request("POST", "localhost:8080", false, "file://", null, "forged"))).isPresent();
        assertThat(rule.refusal(new Request("POST", null, false, "http://localhost:8080", null, "forged"))).isPresent();
    }

    @Test
    void configuredOriginsActBehindAProxyThatChangesHost() {
        assertThat(rule.refusal(new Request("POST", "10.0.0.5:8080", false, "https://courier.example.com", "same-origin", "monitor")))
                .isEmpty();
        assertThat(rule.refusal(new Request("POST", "10.0.0.5:8080", false, "https://courier.example.com:8443", null, "monitor")))
                .isPresent();
    }

    @Test
    void originsCompareBySchemeHostAndPort() {
        assertThat(CrossSiteRule.normalised("HTTPS://Courier.Example.com")).hasValue("https://courier.example.com:443");
        assertThat(CrossSiteRule.normalised("http://localhost:8080/")).hasValue("http://localhost:8080");
        assertThat(CrossSiteRule.normalised("null")).isEmpty();
        assertThat(CrossSiteRule.normalised("ftp://x")).isEmpty();
    }
}
