package org.courier.receivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.courier.routing.ConnectionSettings;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.junit.jupiter.api.Test;

class ReceiverHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private final Map<String, ReceiverEndpoint> receivers = Map.of(
            "erp", receiver("erp", 0),
            "fragile", receiver("fragile", 1),
            "tough", receiver("tough", ConnectionSettings.NEVER_DOWN));
    private final ReceiverHealth health = new ReceiverHealth(name -> Optional.ofNullable(receivers.get(name)), 3,
            Duration.ofSeconds(10), Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void theReceiversOwnThresholdComesBeforeTheServersDefault() {
        health.failed("fragile", "HTTP 500");
        assertThat(health.holds("fragile")).isTrue();
        health.failed("erp", "HTTP 500");
        health.failed("erp", "HTTP 500");
        assertThat(health.holds("erp")).isFalse();
        health.failed("erp", "HTTP 500");
        assertThat(health.holds("erp")).isTrue();
        for (int i = 0; i < 50; i++) {
            health.failed("tough", "HTTP 500");
        }
        assertThat(health.holds("tough")).isFalse();
    }

    @Test
    void theWaitingReasonSaysSinceWhenWhyAndWhatHappensNext() {
        health.failed("fragile", "HTTP 503 from http://fragile/in");
        assertThat(health.waitingReason("fragile")).isEqualTo("waits: receiver \"fragile\" is down since " + T0
                + " after 1 failed attempt (last: HTTP 503 from http://fragile/in); one waiting delivery is sent"
                + " every 10 s to try it, and all go out when one gets through");
        health.maintenance("erp", "alice");
        assertThat(health.waitingReason("erp")).isEqualTo("waits: receiver \"erp\" is in maintenance since " + T0
                + " (by alice); nothing is sent to it until an operator brings it back");
    }

    @Test
    void aSuccessBringsItBackAndTheWaitingCountIsReported() {
        health.failed("fragile", "HTTP 500");
        health.counted(Map.of("fragile", 42L));
        assertThat(health.condition("fragile").waiting()).isEqualTo(42);
        health.succeeded("fragile");
        assertThat(health.holds("fragile")).isFalse();
        assertThat(health.unsaved()).extracting(ReceiverCondition::state).containsExactly(HealthState.UP);
    }

    @Test
    void serverSettingsAreReadWithClearErrors() {
        assertThat(ReceiverHealth.defaultDownAfter(null)).isEqualTo(ReceiverHealth.DEFAULT_DOWN_AFTER);
        assertThat(ReceiverHealth.defaultDownAfter("12")).isEqualTo(12);
        assertThat(ReceiverHealth.defaultDownAfter("never")).isEqualTo(-1);
        assertThat(ReceiverHealth.defaultDownAfter("0")).isEqualTo(-1);
        assertThatThrownBy(() -> ReceiverHealth.defaultDownAfter("five")).hasMessageContaining("courier.receiver.down-after")
                .hasMessageContaining("never");
        assertThat(ReceiverHealth.probeEvery(null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ReceiverHealth.probeEvery("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> ReceiverHealth.probeEvery("PT0S")).hasMessageContaining("courier.receiver.probe-every");
        assertThatThrownBy(() -> ReceiverHealth.probeEvery("10s")).hasMessageContaining("PT10S");
    }

    private static ReceiverEndpoint receiver(String name, int downAfter) {
        return new ReceiverEndpoint(name, URI.create("http://" + name + "/in"), Duration.ofSeconds(5), true,
                InDoubtPolicy.HOLD, null, null, ReceiverProtocol.PLAIN,
                new ConnectionSettings(ConnectionSettings.Authentication.NONE, null, null, ConnectionSettings.Tls.SERVER,
                        null, 0, downAfter));
    }
}
