package org.courier.it.support;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.courier.it.support.CourierAdmin.AdminCallFailed;

/**
 * A client of the admin API's receiver health on the wire, through {@link CourierAdmin#raw} (so
 * every request carries its {@link TestUser}'s credentials): {@code GET /receivers}, and
 * {@code POST /receivers/maintenance} and {@code /receivers/resume}, which take a receiver out
 * and bring it back. Any answer other than 2xx throws {@link AdminCallFailed}. Thread-safe.
 */
public final class ReceiverHealthAdmin {

    /** The members of a receiver's condition, each present in every answer (null when it has no value). */
    public static final List<String> MEMBERS = List.of("receiver", "protocol", "address", "state", "since", "failures",
            "lastError", "changedBy", "waiting");

    private final CourierAdmin admin;

    public ReceiverHealthAdmin(CourierAdmin admin) {
        this.admin = admin;
    }

    /** {@code GET /receivers}: every configured receiver's condition. */
    public List<ReceiverCondition> receivers() {
        JsonObject json = call("GET", "/receivers", Map.of());
        List<ReceiverCondition> receivers = new ArrayList<>();
        for (JsonValue receiver : json.getJsonArray("receivers")) {
            receivers.add(condition(receiver.asJsonObject()));
        }
        return receivers;
    }

    /** The named receiver's condition, as {@code GET /receivers} lists it; fails when it is not listed. */
    public ReceiverCondition receiver(String name) {
        return receivers().stream().filter(r -> name.equals(r.receiver())).findFirst()
                .orElseThrow(() -> new AssertionError("receiver " + name + " is not listed by GET /receivers"));
    }

    /** {@code POST /receivers/maintenance?receiver=}: takes the receiver out; its condition after. */
    public ReceiverCondition maintenance(String receiver) {
        return condition(call("POST", "/receivers/maintenance", Map.of("receiver", receiver)));
    }

    /** {@code POST /receivers/resume?receiver=}: brings the receiver back; its condition after. */
    public ReceiverCondition resume(String receiver) {
        return condition(call("POST", "/receivers/resume", Map.of("receiver", receiver)));
    }

    /** The request answered as it is, for tests of refused ones. */
    public HttpResponse<String> raw(String method, String path, Map<String, String> parameters) {
        return admin.raw(method, path, parameters);
    }

    private JsonObject call(String method, String path, Map<String, String> parameters) {
        HttpResponse<String> response = raw(method, path, parameters);
        if (response.statusCode() != 200 || !(CourierAdmin.parseOrNull(response.body()) instanceof JsonObject json)) {
            throw new AdminCallFailed(method + " " + path + " " + parameters, response.statusCode(), response.body());
        }
        return json;
    }

    private static ReceiverCondition condition(JsonObject json) {
        return new ReceiverCondition(string(json, "receiver"), string(json, "state"),
                Instant.parse(json.getString("since")), json.getInt("failures"), string(json, "lastError"),
                string(json, "changedBy"), json.getJsonNumber("waiting").longValue(), json);
    }

    private static String string(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return value instanceof JsonString text ? text.getString() : value.toString();
    }

    /**
     * A receiver's health as the admin API shows it: {@code state} is UP, FAILING, DOWN or
     * MAINTENANCE; {@code since} the epoch for a receiver never seen failing; {@code changedBy}
     * "courier" or the operator; {@code waiting} its deliveries that wait for it; {@code json} as received.
     */
    public record ReceiverCondition(String receiver, String state, Instant since, int failures, String lastError,
                                    String changedBy, long waiting, JsonObject json) {

        /** Whether each member is in the answer, null or not. */
        public boolean hasEveryMember() {
            return json.keySet().containsAll(MEMBERS) && json.get("waiting") instanceof JsonNumber;
        }
    }
}
