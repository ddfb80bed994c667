package org.courier.it.support;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.courier.it.support.CourierAdmin.AdminCallFailed;

/**
 * A client of the admin API's read side — message search and detail, reconciliation, the audit
 * trail — on the wire, through {@link CourierAdmin#raw} (so every request carries
 * {@link TestUser} credentials). Answers are parsed into small records that keep what the tests
 * look at; any answer other than 2xx throws {@link AdminCallFailed}. Thread-safe.
 */
public final class AdminQueries {

    private final CourierAdmin admin;

    /** Queries the admin API of the local server as {@link TestUser#INTEGRATION}. */
    public AdminQueries() {
        this(new CourierAdmin());
    }

    public AdminQueries(CourierAdmin admin) {
        this.admin = admin;
    }

    /** {@code GET /messages} with these filters (a {@code null} value is left out). */
    public MessagePage messages(Map<String, String> filters) {
        JsonObject json = get("/messages", filters);
        return new MessagePage(json.getInt("page"), json.getInt("size"), json.getJsonNumber("total").longValue(),
                list(json.getJsonArray("messages"), AdminQueries::summary), json);
    }

    /** {@code GET /messages/detail?sender=&messageId=}. */
    public MessageDetail detail(String sender, String messageId) {
        JsonObject json = get("/messages/detail", params("sender", sender, "messageId", messageId));
        return new MessageDetail(string(json, "sender"), string(json, "messageId"), string(json, "interface"),
                string(json, "payloadHash"), json.getJsonNumber("payloadBytes").longValue(), list(json.getJsonArray("deliveries"),
                AdminQueries::deliveryRecord), list(json.getJsonArray("mappedIds"), m -> new MappedId(string(m, "sourceId"),
                string(m, "context"), string(m, "targetId"))), json);
    }

    /** {@code GET /messages/payload?sender=&messageId=}: the payload (role payload; every view is audited). */
    public Payload payload(String sender, String messageId) {
        JsonObject json = get("/messages/payload", params("sender", sender, "messageId", messageId));
        return new Payload(string(json, "sender"), string(json, "messageId"), string(json, "interface"),
                string(json, "payloadHash"), string(json, "payload"));
    }

    /** {@code GET /reconciliation?sender=&from=&to=} ({@code null} bounds left out). */
    public Reconciliation reconciliation(String sender, Instant from, Instant to) {
        JsonObject json = get("/reconciliation", params("sender", sender, "from", text(from), "to", text(to)));
        return new Reconciliation(json.getJsonNumber("accepted").longValue(), json.getJsonNumber("withDeliveries").longValue(),
                json.getJsonNumber("aggregated").longValue(), json.getJsonNumber("withoutDelivery").longValue(),
                list(json.getJsonArray("receivers"), AdminQueries::balance),
                list(json.getJsonArray("unbalanced"), u -> new Unbalanced(string(u, "messageId"), string(u, "receiver"),
                        string(u, "reason"))), json.getBoolean("addsUp"), json);
    }

    /** {@code GET /audit} with these filters (a {@code null} value is left out). */
    public AuditPage audit(Map<String, String> filters) {
        JsonObject json = get("/audit", filters);
        return new AuditPage(json.getJsonNumber("total").longValue(), list(json.getJsonArray("entries"),
                e -> new AuditEntry(Instant.parse(e.getString("at")), string(e, "actor"), string(e, "action"),
                        string(e, "parameters"), e.getInt("status"), string(e, "sender"), string(e, "interface"))));
    }

    /** {@code GET path} answered as it is, for tests of refused requests. */
    public HttpResponse<String> raw(String path, Map<String, String> parameters) {
        return admin.raw("GET", path, parameters);
    }

    /** Parameters in the order given; a {@code null} value is left out when sent. */
    public static Map<String, String> params(String... namesAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    private JsonObject get(String path, Map<String, String> parameters) {
        HttpResponse<String> response = raw(path, parameters);
        if (response.statusCode() != 200 || !(CourierAdmin.parseOrNull(response.body()) instanceof JsonObject json)) {
            throw new AdminCallFailed("GET " + path + " " + parameters, response.statusCode(), response.body());
        }
        return json;
    }

    private static MessageSummary summary(JsonObject m) {
        return new MessageSummary(string(m, "sender"), string(m, "messageId"), string(m, "interface"), string(m, "queueId"),
                m.get("sequence") instanceof JsonNumber n ? n.longValue() : null, Instant.parse(m.getString("acceptedAt")),
                list(m.getJsonArray("deliveries"), d -> new ReceiverState(string(d, "receiver"), string(d, "part"),
                        string(d, "state"))), m);
    }

    private static DeliveryRecord deliveryRecord(JsonObject d) {
        return new DeliveryRecord(string(d, "receiver"), string(d, "state"), d.getInt("attempts"),
                string(d, "targetMessageId"), list(d.getJsonArray("attemptHistory"),
                a -> new Attempt(string(a, "startedAt"), string(a, "outcome"), string(a, "detail"))));
    }

    private static ReceiverBalance balance(JsonObject r) {
        return new ReceiverBalance(string(r, "receiver"), r.getJsonNumber("expected").longValue(),
                r.getJsonNumber("delivered").longValue(), r.getJsonNumber("pending").longValue(),
                r.getJsonNumber("failed").longValue(), r.getJsonNumber("cancelled").longValue(),
                r.getJsonNumber("inDoubt").longValue(), r.getJsonNumber("unplaced").longValue(),
                r.getJsonNumber("missing").longValue(), r.getBoolean("addsUp"));
    }

    private static <T> List<T> list(JsonArray array, Function<JsonObject, T> parse) {
        List<T> items = new ArrayList<>();
        for (JsonValue value : array) {
            items.add(parse.apply(value.asJsonObject()));
        }
        return items;
    }

    private static String string(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return value instanceof JsonString text ? text.getString() : value.toString();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** A page of messages; {@code json} is the answer as received (to check members that are null). */
    public record MessagePage(int page, int size, long total, List<MessageSummary> messages, JsonObject json) {

        public List<String> messageIds() {
            return messages.stream().map(MessageSummary::messageId).toList();
        }
    }

    /** A message as a search lists it; {@code json} as received. */
    public record MessageSummary(String sender, String messageId, String interfaceName, String queueId, Long sequence,
                                 Instant acceptedAt, List<ReceiverState> deliveries, JsonObject json) {
    }

    /** One delivery of a listed message. */
    public record ReceiverState(String receiver, String part, String state) {
    }

    /** One message's detail ({@code payloadBytes}: the payload's size, not the payload); {@code json} as received. */
    public record MessageDetail(String sender, String messageId, String interfaceName, String payloadHash, long payloadBytes,
                                List<DeliveryRecord> deliveries, List<MappedId> mappedIds, JsonObject json) {

        public Optional<DeliveryRecord> delivery(String receiver) {
            return deliveries.stream().filter(d -> receiver.equals(d.receiver())).findFirst();
        }
    }

    /** One message's payload as {@code GET /messages/payload} shows it. */
    public record Payload(String sender, String messageId, String interfaceName, String payloadHash, String payload) {
    }

    /** One delivery of a message's detail. */
    public record DeliveryRecord(String receiver, String state, int attempts, String targetMessageId,
                                 List<Attempt> attemptHistory) {
    }

    /** One attempt to a non-idempotent receiver ({@code outcome} null while in doubt). */
    public record Attempt(String startedAt, String outcome, String detail) {
    }

    /** An id the message got for a receiver. */
    public record MappedId(String sourceId, String context, String targetId) {
    }

    /** A reconciliation report; {@code json} as received. */
    public record Reconciliation(long accepted, long withDeliveries, long aggregated, long withoutDelivery,
                                 List<ReceiverBalance> receivers, List<Unbalanced> unbalanced, boolean addsUp,
                                 JsonObject json) {

        public ReceiverBalance receiver(String name) {
            return receivers.stream().filter(r -> name.equals(r.receiver())).findFirst()
                    .orElseThrow(() -> new AssertionError("no receiver " + name + " in " + json));
        }
    }

    /** One receiver's balance. */
    public record ReceiverBalance(String receiver, long expected, long delivered, long pending, long failed,
                                  long cancelled, long inDoubt, long unplaced, long missing, boolean addsUp) {

        public long placed() {
            return delivered + pending + failed + cancelled + inDoubt;
        }
    }

    /** A message that does not add up ({@code receiver} null: the message as a whole). */
    public record Unbalanced(String messageId, String receiver, String reason) {
    }

    /** A page of the audit trail. */
    public record AuditPage(long total, List<AuditEntry> entries) {
    }

    /** One audited action and the sender and interface it concerned ({@code null}: none in particular). */
    public record AuditEntry(Instant at, String actor, String action, String parameters, int status, String sender,
                             String interfaceName) {
    }
}
