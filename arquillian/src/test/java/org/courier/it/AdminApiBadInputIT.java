package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API's parameters against hostile values, black box: every parameter of every request
 * (the others plausible) given empty, blank, non-numeric, huge, negative, injection-like,
 * NUL-bearing, non-BMP and overlong values is answered with a client error that says why in JSON
 * (or, for a search, an answer), never a server error, and nothing stored changes. A number
 * parameter given text, or any parameter holding a control character (a NUL is an error in
 * PostgreSQL), is 400 naming the parameter (JAX-RS converts typed parameters itself and answers
 * 404, "not found", for text where a number belongs: the admin API reads them as text).
 *
 * <p>Requests that start work when their parameters are valid or blank (a resend or purge run)
 * are only sent with parameters that are not.
 */
@ExtendWith(ArquillianExtension.class)
class AdminApiBadInputIT {

    private static final List<String> HOSTILE = List.of("", "   ", "abc", "-1", "0", "99999999999999999999", "1e3",
            "' OR '1'='1' --", "<script>alert(1)</script>", "%", "a\u0000b", "\uD834\uDD1E", "x".repeat(5_000),
            "../../etc/passwd", "FAILED;DELETED");

    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void everyParameterGivenHostileValuesIsAClientErrorThatSaysWhyOrAnAnswerAndChangesNothing() {
        long messagesBefore = database.messagesTotal();
        long deliveriesBefore = database.deliveriesTotal();
        List<String> wrong = new ArrayList<>();
        int requests = 0;
        for (Request request : requests()) {
            for (String parameter : request.parameters.keySet()) {
                for (String value : HOSTILE) {
                    Map<String, String> parameters = new LinkedHashMap<>(request.parameters);
                    parameters.put(parameter, value);
                    HttpResponse<String> response = admin.raw(request.method, request.path, parameters);
                    requests++;
                    String problem = problem(response);
                    if (problem != null) {
                        wrong.add(request.method + " " + request.path + " " + parameter + "=" + abbreviated(value) + ": "
                                + problem);
                    }
                }
            }
        }
        System.out.printf("admin API: %d requests with hostile parameter values, %d answered wrongly%n", requests,
                wrong.size());
        assertThat(wrong).as("answers that are no client error saying why, nor an answer").isEmpty();
        assertThat(database.messagesTotal()).as("messages stored").isEqualTo(messagesBefore);
        assertThat(database.deliveriesTotal()).as("deliveries stored").isEqualTo(deliveriesBefore);
    }

    @Test
    void aNumberGivenTextOrAValueHoldingAControlCharacterIsRefusedNamingTheParameter() {
        assertRefusedNaming("GET", "/queues", Map.of("limit", "ten"), "limit");
        assertRefusedNaming("GET", "/queues", Map.of("offset", "1.5"), "offset");
        assertRefusedNaming("GET", "/queue/held", Map.of("sender", "S", "queueId", "Q", "receiver", "r", "limit", "many"),
                "limit");
        assertRefusedNaming("GET", "/failures/run", Map.of("executionId", "last"), "executionId");
        assertRefusedNaming("POST", "/failures/run/stop", Map.of("executionId", "12x"), "executionId");
        assertRefusedNaming("GET", "/retention/purge", Map.of("executionId", "first"), "executionId");
        assertRefusedNaming("GET", "/messages", Map.of("page", "two"), "page");
        assertRefusedNaming("POST", "/retention/purge", Map.of("cutoff", "yesterday"), "cutoff");
        assertRefusedNaming("GET", "/overview", Map.of("window", "an hour"), "window");
        assertRefusedNaming("POST", "/failures/bulk/cancel", Map.of("receiver", "alpha", "group", "all"), "group");
        assertRefusedNaming("GET", "/messages/detail", Map.of("sender", "ERP\u0000", "messageId", "m"), "sender");
        assertRefusedNaming("POST", "/delivery/cancel", Map.of("sender", "ERP", "messageId", "m\u0001", "receiver", "alpha"),
                "messageId");
    }

    private void assertRefusedNaming(String method, String path, Map<String, String> parameters, String name) {
        HttpResponse<String> response = admin.raw(method, path, parameters);
        assertThat(response.statusCode()).as(method + " " + path + " " + parameters + ": " + response.body()).isEqualTo(400);
        assertThat(error(response.body())).contains("'" + name + "'");
    }

    /** What is wrong with the answer, or null when it is a client error with a JSON error, or an answer. */
    private static String problem(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return null;
        }
        if (status < 400 || status >= 500) {
            return "HTTP " + status + " " + abbreviated(response.body());
        }
        String error = error(response.body());
        return error == null || error.isBlank() ? "HTTP " + status + " without a JSON error: " + abbreviated(response.body())
                : null;
    }

    private static String error(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonObject json = reader.readObject();
            return json.getString("error", null);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String abbreviated(String text) {
        String printable = text.replace("\u0000", "\\0");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "…";
    }

    /** Every admin request with plausible parameters (nothing they name exists). */
    private static List<Request> requests() {
        Map<String, String> message = Map.of("sender", "NOSUCH", "messageId", "no-such-message");
        Map<String, String> delivery = Map.of("sender", "NOSUCH", "messageId", "no-such-message", "receiver", "alpha");
        Map<String, String> queue = Map.of("sender", "NOSUCH", "queueId", "NOSUCHQUEUE");
        Map<String, String> lane = Map.of("sender", "NOSUCH", "queueId", "NOSUCHQUEUE", "receiver", "alpha");
        return List.of(
                new Request("GET", "/audit", Map.of("actor", "nobody", "from", "2026-01-01T00:00:00Z",
                        "to", "2026-01-02T00:00:00Z", "page", "0", "size", "10")),
                new Request("GET", "/calls", message),
                new Request("POST", "/calls/forget", message),
                new Request("GET", "/delivery", delivery),
                new Request("POST", "/delivery/resend", delivery),
                new Request("POST", "/delivery/cancel", delivery),
                new Request("POST", "/delivery/delivered", delivery),
                new Request("GET", "/failures", Map.of("receiver", "no-such-receiver")),
                new Request("POST", "/failures/resend-all", Map.of("receiver", "no-such-receiver")),
                new Request("GET", "/failures/groups", Map.of("receiver", "no-such-receiver")),
                new Request("GET", "/failures/bulk", Map.of("receiver", "no-such-receiver", "group", "0123456789ab")),
                new Request("POST", "/failures/bulk/resend", Map.of("receiver", "no-such-receiver", "group", "0123456789ab",
                        "after", "00000000-0000-0000-0000-000000000000")),
                new Request("POST", "/failures/bulk/cancel", Map.of("receiver", "no-such-receiver", "group", "0123456789ab",
                        "after", "00000000-0000-0000-0000-000000000000")),
                new Request("GET", "/overview", Map.of("window", "PT1H")),
                new Request("GET", "/overview", Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z")),
                new Request("GET", "/failures/run", Map.of("executionId", "999999")),
                new Request("POST", "/failures/run/stop", Map.of("executionId", "999999")),
                new Request("POST", "/failures/run/restart", Map.of("executionId", "999999")),
                new Request("GET", "/id-mappings", Map.of("sender", "NOSUCH", "messageId", "no-such-message",
                        "target", "no-such-target")),
                new Request("GET", "/in-doubt", Map.of("receiver", "no-such-receiver")),
                new Request("GET", "/in-doubt/bulk", Map.of("receiver", "no-such-receiver")),
                new Request("POST", "/in-doubt/bulk/delivered", Map.of("receiver", "no-such-receiver",
                        "after", "00000000-0000-0000-0000-000000000000")),
                new Request("POST", "/in-doubt/bulk/resend", Map.of("receiver", "no-such-receiver")),
                new Request("GET", "/messages", Map.of("sender", "NOSUCH", "interface", "Nothing", "receiver", "alpha",
                        "status", "FAILED", "queueId", "NOSUCHQUEUE", "messageId", "no-such-message",
                        "from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z", "page", "0", "size", "10")),
                new Request("GET", "/messages/detail", message),
                new Request("GET", "/messages/payload", message),
                new Request("GET", "/queues", Map.of("state", "BLOCKED", "sender", "NOSUCH", "limit", "10", "offset", "0")),
                new Request("GET", "/queue", queue),
                new Request("GET", "/queue/held", Map.of("sender", "NOSUCH", "queueId", "NOSUCHQUEUE", "receiver", "alpha",
                        "limit", "10")),
                new Request("POST", "/queue/resend-head", lane),
                new Request("POST", "/queue/cancel-head", lane),
                new Request("PUT", "/queue/policy", Map.of("sender", "NOSUCH", "queueId", "NOSUCHQUEUE", "policy", "BLOCK")),
                new Request("POST", "/receivers/maintenance", Map.of("receiver", "no-such-receiver")),
                new Request("POST", "/receivers/resume", Map.of("receiver", "no-such-receiver")),
                new Request("GET", "/reconciliation", Map.of("sender", "NOSUCH", "from", "2026-01-01T00:00:00Z",
                        "to", "2026-01-02T00:00:00Z")),
                new Request("GET", "/retention/purge", Map.of("executionId", "999999")));
    }

    private record Request(String method, String path, Map<String, String> parameters) {
    }
}
