package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.AdminQueries.params;
import static org.courier.it.support.InOrderTestData.hex;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.courier.it.support.AdminQueries;
import org.courier.it.support.AdminQueries.AuditEntry;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.HeadlessBrowser;
import org.courier.it.support.HeadlessBrowser.Run;
import org.courier.it.support.MonitorApi;
import org.courier.it.support.ReceiverHealthAdmin;
import org.courier.it.support.ReceiverHealthAdmin.ReceiverCondition;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Operators take a receiver out for maintenance and bring it back through the admin API, black
 * box: while it is out its Exactly Once deliveries wait (FAILED, the reason in their last error,
 * counted as waiting) and nothing reaches it; once it is back each arrives exactly once. Only an
 * unrestricted operator may do either (403 otherwise, nothing changed), both are audited with the
 * operator's name, and the monitor's Receivers view shows the receiver in maintenance and brings
 * it back ({@code src/test/browser/receivers.mjs}). Receiver {@code maintained} of the test
 * configuration (idempotent, down after 3 failed attempts), route {@code Maintained}, is used by
 * this test alone; every test brings it back at its end.
 */
@ExtendWith(ArquillianExtension.class)
class ReceiverHealthAdminIT {

    private static final String MAINTAINED = "maintained";
    private static final String INTERFACE = "Maintained";
    private static final int PORT = 18112;
    private static final int MESSAGES = 10;
    private static final TestUser OPERATOR = TestUser.INTEGRATION;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** The script's own deadline for each wait on the page; the process gets twice that in all. */
    private static final int BROWSER_WAIT_SECONDS = 60;
    private static final Path OUTPUT_DIR = Path.of(System.getProperty("basedir", "."), "target", "receivers");

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final ReceiverHealthAdmin health = new ReceiverHealthAdmin(admin);
    private final ReceiverHealthAdmin healthOfOneSender = new ReceiverHealthAdmin(admin.as(OperatorScopeIT.SCOPE_A));
    private final AdminQueries queries = new AdminQueries(admin);

    private TestReceiver maintained;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        maintained = TestReceiver.start(PORT);
    }

    @AfterEach
    void stopReceiver() {
        maintained.close();
    }

    @Test
    void whileAReceiverIsOutItsDeliveriesWaitAndOnceItIsBackEachArrivesOnce() {
        Instant from = Instant.now().minusSeconds(1);
        ReceiverCondition before = health.receiver(MAINTAINED);
        assertThat(before.state()).isEqualTo("UP");
        assertThat(before.hasEveryMember()).as("every member present: %s", before.json()).isTrue();
        try {
            ReceiverCondition out = health.maintenance(MAINTAINED);
            assertThat(out.state()).isEqualTo("MAINTENANCE");
            assertThat(out.changedBy()).isEqualTo(OPERATOR.name());
            assertThat(out.since()).isAfterOrEqualTo(from);
            assertThat(health.receiver(MAINTAINED).state()).isEqualTo("MAINTENANCE");

            String sender = "RHA-" + hex(8);
            List<String> ids = send(sender, MESSAGES);
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(health.receiver(MAINTAINED).waiting()).as("waiting deliveries").isEqualTo(MESSAGES);
                assertThat(ids).allSatisfy(id -> {
                    ReceiverDelivery delivery = delivery(sender, id);
                    assertThat(delivery.state()).as("state of %s", id).isEqualTo("FAILED");
                    assertThat(delivery.lastError()).as("last error of %s", id).contains("maintenance");
                    assertThat(delivery.attempts()).as("attempts of %s: waiting is none", id).isZero();
                });
            });
            await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> maintained.total() == 0);
            assertThat(health.receiver(MAINTAINED).state()).isEqualTo("MAINTENANCE");

            ReceiverCondition back = health.resume(MAINTAINED);
            assertThat(back.state()).isEqualTo("UP");
            assertThat(back.changedBy()).isEqualTo(OPERATOR.name());
            await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> maintained.count(id) >= 1));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                    ids.stream().allMatch(id -> maintained.count(id) == 1));
            assertThat(maintained.total()).as("requests in all").isEqualTo(MESSAGES);
            assertThat(ids).allSatisfy(id -> assertThat(delivery(sender, id).state()).isEqualTo("DELIVERED"));
            await().atMost(DEADLINE).until(() -> health.receiver(MAINTAINED).waiting() == 0);

            // newest first: this test's two actions are the latest (the other tests' came before)
            assertThat(actionsOn(MAINTAINED, from).subList(0, 2)).extracting(AuditEntry::actor, AuditEntry::action,
                            AuditEntry::status, AuditEntry::sender, AuditEntry::interfaceName)
                    .containsExactly(
                            Tuple.tuple(OPERATOR.name(), "POST /api/receivers/resume", 200, null, null),
                            Tuple.tuple(OPERATOR.name(), "POST /api/receivers/maintenance", 200, null, null));
        } finally {
            health.resume(MAINTAINED);
        }
    }

    @Test
    void onlyAnUnrestrictedOperatorMayTakeAReceiverOutOrBringItBack() {
        Instant from = Instant.now().minusSeconds(1);
        try {
            assertThat(healthOfOneSender.receiver(MAINTAINED).state()).as("every operator reads it").isEqualTo("UP");
            assertRefused(healthOfOneSender, "/receivers/maintenance", MAINTAINED, 403, "only an operator bound to all");
            assertThat(health.receiver(MAINTAINED).state()).isEqualTo("UP");

            health.maintenance(MAINTAINED);
            assertRefused(healthOfOneSender, "/receivers/resume", MAINTAINED, 403, "only an operator bound to all");
            ReceiverCondition still = health.receiver(MAINTAINED);
            assertThat(still.state()).isEqualTo("MAINTENANCE");
            assertThat(still.changedBy()).isEqualTo(OPERATOR.name());

            // newest first: this test's three are the latest (another test's may come before, whatever the order)
            assertThat(actionsOn(MAINTAINED, from).subList(0, 3)).extracting(AuditEntry::actor, AuditEntry::action,
                            AuditEntry::status)
                    .containsExactly(
                            Tuple.tuple(OperatorScopeIT.SCOPE_A.name(), "POST /api/receivers/resume", 403),
                            Tuple.tuple(OPERATOR.name(), "POST /api/receivers/maintenance", 200),
                            Tuple.tuple(OperatorScopeIT.SCOPE_A.name(), "POST /api/receivers/maintenance", 403));
        } finally {
            health.resume(MAINTAINED);
        }
    }

    @Test
    void anUnknownReceiverIsNotFoundAndAMissingOneIsABadRequest() {
        String unknown = "nobody-" + hex(8);
        for (String action : List.of("/receivers/maintenance", "/receivers/resume")) {
            assertRefused(health, action, unknown, 404, "no receiver \"" + unknown + "\" is configured");
            assertRefused(health, action, null, 400, "query parameter 'receiver' is required");
        }
        assertThat(health.receivers()).extracting(ReceiverCondition::receiver).doesNotContain(unknown)
                .contains(MAINTAINED, "alpha");
    }

    @Test
    void theMonitorShowsTheReceiverInMaintenanceAndBringsItBack() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.availableOrSkip("the monitor's Receivers view");
        try {
            health.maintenance(MAINTAINED);

            Run run = browser.run("receivers.mjs", List.of(
                    "--url=" + MonitorApi.PAGE,
                    "--user=" + OPERATOR.name(),
                    "--password=" + OPERATOR.password(),
                    "--receiver=" + MAINTAINED,
                    "--channel=plain http://127.0.0.1:18112/maintained",
                    "--screenshot=" + OUTPUT_DIR.resolve("receivers-failure.png").toAbsolutePath(),
                    "--timeout=" + BROWSER_WAIT_SECONDS), OUTPUT_DIR.resolve("receivers.log"),
                    Duration.ofSeconds(2L * BROWSER_WAIT_SECONDS + 30));

            assertThat(run.exitCode()).as("receivers.mjs exit code; its output:%n%s", run.output()).isZero();
            ReceiverCondition back = health.receiver(MAINTAINED);
            assertThat(back.state()).isEqualTo("UP");
            assertThat(back.changedBy()).as("brought back in the monitor by").isEqualTo(OPERATOR.name());
        } finally {
            health.resume(MAINTAINED);
        }
    }

    private List<String> send(String sender, int count) {
        List<String> ids = IntStream.rangeClosed(1, count).mapToObj(i -> sender + "-" + i).toList();
        ids.forEach(id -> assertThat(courier.send(sender, INTERFACE, id, "<order xmlns=\"urn:example:orders\"><id>" + id
                + "</id></order>").result()).as("result for %s", id).isEqualTo("ACCEPTED"));
        return ids;
    }

    private ReceiverDelivery delivery(String sender, String id) {
        return courier.status(sender, id).delivery(MAINTAINED).orElseThrow(() ->
                new AssertionError("no delivery of " + id + " to " + MAINTAINED));
    }

    /** The audited receiver actions on the receiver since {@code from}, newest first. */
    private List<AuditEntry> actionsOn(String receiver, Instant from) {
        return queries.audit(params("from", from.truncatedTo(ChronoUnit.MILLIS).toString())).entries().stream()
                .filter(e -> e.action().startsWith("POST /api/receivers/") && ("receiver=" + receiver).equals(e.parameters()))
                .toList();
    }

    private static void assertRefused(ReceiverHealthAdmin as, String path, String receiver, int status, String error) {
        HttpResponse<String> response = as.raw("POST", path, receiver == null ? Map.of() : Map.of("receiver", receiver));
        assertThat(response.statusCode()).as("POST %s receiver=%s: %s", path, receiver, response.body()).isEqualTo(status);
        // the error text as JSON carries it: quotes escaped
        assertThat(response.body()).contains("\"error\"").contains(error.replace("\"", "\\\""));
    }
}
