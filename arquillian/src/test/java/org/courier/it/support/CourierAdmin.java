package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A client of Courier's admin API (JAX-RS, JSON) — in-order queues, single deliveries, the
 * failure store and its resend job, the retention purge — written with the JDK's HTTP client
 * and Jakarta JSON so that the tests check the API on the wire. Queue ids may contain '/', so
 * everything travels as (URL-encoded) query parameters. Any answer other than 2xx throws
 * {@link AdminCallFailed} with its status and body. Thread-safe.
 */
public final class CourierAdmin {

    /** The admin API of a locally running server. */
    public static final URI DEFAULT_BASE = URI.create("http://127.0.0.1:8080/courier/api");

    /** The header every state-changing admin request must carry (the server's cross-site request rule). */
    public static final String CROSS_SITE_HEADER = "X-Courier-Request";
    /** The queue policy that stops a queue behind a failed message until an operator acts (the default). */
    public static final String BLOCK = "BLOCK";
    /** The queue policy that lets a queue continue after a message whose attempts ran out. */
    public static final String SKIP = "SKIP";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final URI base;

    private final TestUser user;

    /** A client of the server at {@link #DEFAULT_BASE}. */
    public CourierAdmin() {
        this(DEFAULT_BASE);
    }

    /** A client of the admin API at this base URI (without a trailing slash), as {@link TestUser#INTEGRATION}. */
    public CourierAdmin(URI base) {
        this(base, TestUser.INTEGRATION);
    }

    /** A client of the admin API at this base URI, as the given user. */
    public CourierAdmin(URI base, TestUser user) {
        this.base = base;
        this.user = user;
    }

    /** The same client, calling as another user. */
    public CourierAdmin as(TestUser other) {
        return new CourierAdmin(base, other);
    }

    /** The base URI this client calls. */
    public URI base() {
        return base;
    }

    /** {@code GET /queue}: the queue of this sender with its lanes (one per receiver). 404 for an unknown queue. */
    public QueueView queue(String sender, String queueId) {
        return queueView(call("GET", "/queue", params("sender", sender, "queueId", queueId)));
    }

    /** {@code POST /queue/resend-head}: gives the FAILED head of the receiver's lane new attempts (409 if not FAILED). */
    public QueueView resendHead(String sender, String queueId, String receiver) {
        return queueView(call("POST", "/queue/resend-head",
                params("sender", sender, "queueId", queueId, "receiver", receiver)));
    }

    /** {@code POST /queue/cancel-head}: the head of the receiver's lane becomes CANCELLED; its successors go on. */
    public QueueView cancelHead(String sender, String queueId, String receiver) {
        return queueView(call("POST", "/queue/cancel-head",
                params("sender", sender, "queueId", queueId, "receiver", receiver)));
    }

    /** {@code PUT /queue/policy}: {@link #BLOCK} or {@link #SKIP} (400 for anything else). */
    public QueueView policy(String sender, String queueId, String policy) {
        return queueView(call("PUT", "/queue/policy",
                params("sender", sender, "queueId", queueId, "policy", policy)));
    }

    /** {@code POST /delivery/resend}: a FAILED or ERROR delivery gets a fresh count of attempts (409 otherwise). */
    public String resendDelivery(String sender, String messageId, String receiver) {
        return call("POST", "/delivery/resend", params("sender", sender, "messageId", messageId, "receiver", receiver))
                .getString("state");
    }

    /** {@code POST /delivery/cancel}: a FAILED or ERROR delivery becomes CANCELLED (409 otherwise). */
    public String cancelDelivery(String sender, String messageId, String receiver) {
        return call("POST", "/delivery/cancel", params("sender", sender, "messageId", messageId, "receiver", receiver))
                .getString("state");
    }

    /**
     * {@code POST /delivery/delivered}: an operator declares a FAILED, ERROR or IN_DOUBT delivery
     * delivered (409 otherwise); nothing is sent, an in-order queue goes on. The new state.
     */
    public String declareDelivered(String sender, String messageId, String receiver) {
        return call("POST", "/delivery/delivered", params("sender", sender, "messageId", messageId, "receiver", receiver))
                .getString("state");
    }

    // --- in-doubt deliveries (non-idempotent receivers)

    /** {@code GET /in-doubt}: deliveries held IN_DOUBT and the count of possible duplicates sent; of one receiver if given. */
    public InDoubtReport inDoubt(String receiverOrNull) {
        JsonObject json = call("GET", "/in-doubt", params("receiver", receiverOrNull));
        List<FailureEntry> entries = new ArrayList<>();
        for (JsonValue entry : json.getJsonArray("entries")) {
            entries.add(failureEntry(entry.asJsonObject()));
        }
        return new InDoubtReport(json.getInt("held"), json.getJsonNumber("possibleDuplicates").longValue(), entries);
    }

    /** What {@code GET /in-doubt} answers. */
    public record InDoubtReport(int held, long possibleDuplicates, List<FailureEntry> entries) {
    }

    // --- failure store and scheduled resend (courier-resend job)

    /** The state of a delivery in the failure store that the scheduled resend tries again when it is due. */
    public static final String FAILED = "FAILED";
    /** The state of a delivery in the failure store that waits for an operator (resends ran out, or refused for good). */
    public static final String ERROR = "ERROR";

    /**
     * {@code GET /failures}: the failure store (FAILED and ERROR deliveries), oldest first, at most
     * 1000 entries; only those of this receiver unless {@code receiverOrNull} is {@code null}.
     */
    public List<FailureEntry> failures(String receiverOrNull) {
        JsonObject json = call("GET", "/failures", params("receiver", receiverOrNull));
        List<FailureEntry> entries = new ArrayList<>();
        JsonValue array = json.get("entries");
        if (!(array instanceof JsonArray list)) {
            throw new AdminCallFailed("GET /failures answered no entries array", 200, json.toString());
        }
        for (JsonValue entry : list) {
            entries.add(failureEntry(entry.asJsonObject()));
        }
        return entries;
    }

    /** {@code GET /id-mappings?sender=&messageId=}: the ids the message got, one per context. */
    public List<MappedId> idMappings(String sender, String messageId) {
        return mappedIds(call("GET", "/id-mappings", params("sender", sender, "messageId", messageId)));
    }

    /** {@code GET /id-mappings?target=}: the message(s) a receiver's id belongs to. */
    public List<MappedId> idMappingsOfTarget(String targetId) {
        return mappedIds(call("GET", "/id-mappings", params("target", targetId)));
    }

    private static List<MappedId> mappedIds(JsonObject json) {
        List<MappedId> mappings = new ArrayList<>();
        for (JsonValue value : json.getJsonArray("mappings")) {
            JsonObject m = value.asJsonObject();
            mappings.add(new MappedId(m.getString("sourceId"), m.getString("context"), m.getString("targetId"),
                    m.getString("format"), m.getString("mapping")));
        }
        return mappings;
    }

    /** One ID mapping as the admin API shows it. */
    public record MappedId(String sourceId, String context, String targetId, String format, String mapping) {
    }

    /** {@code GET /calls?sender=&messageId=}: the stored record of an idempotent call. */
    public StoredCall storedCall(String sender, String messageId) {
        return storedCall(call("GET", "/calls", params("sender", sender, "messageId", messageId)));
    }

    /** {@code POST /calls/forget?sender=&messageId=}: settles a call in doubt; the record as it was. */
    public StoredCall forgetCall(String sender, String messageId) {
        return storedCall(call("POST", "/calls/forget", params("sender", sender, "messageId", messageId)));
    }

    private static StoredCall storedCall(JsonObject json) {
        return new StoredCall(json.getString("sender"), json.getString("messageId"), json.getString("state"),
                json.getInt("attempt"), json.getInt("replays"), string(json, "lastError"));
    }

    /** An idempotent call's record as the admin API shows it. */
    public record StoredCall(String sender, String messageId, String state, int attempt, int replays, String lastError) {
    }

    /** {@code POST /failures/resend-all}: every FAILED and ERROR delivery of the receiver goes out again now; how many. */
    public int resendAll(String receiver) {
        return (int) number(call("POST", "/failures/resend-all", params("receiver", receiver)), "resent", 0);
    }

    /** {@code POST /failures/run}: starts the resend job now; its execution id. */
    public long runResend() {
        return executionId(call("POST", "/failures/run", params()));
    }

    /** {@code GET /failures/run}: an execution of the resend job. */
    public ResendRun resendRun(long executionId) {
        return resendRun(call("GET", "/failures/run", params("executionId", Long.toString(executionId))));
    }

    /** {@code POST /failures/run/stop}: asks the execution to stop; the execution as it is right after. */
    public ResendRun stopResend(long executionId) {
        return resendRun(call("POST", "/failures/run/stop", params("executionId", Long.toString(executionId))));
    }

    /** {@code POST /failures/run/restart}: restarts a STOPPED or FAILED execution; the new execution's id. */
    public long restartResend(long executionId) {
        return executionId(call("POST", "/failures/run/restart", params("executionId", Long.toString(executionId))));
    }

    private static long executionId(JsonObject json) {
        if (!(json.get("executionId") instanceof JsonNumber)) {
            throw new AdminCallFailed("answer without an executionId", 200, json.toString());
        }
        return number(json, "executionId", 0);
    }

    private static ResendRun resendRun(JsonObject json) {
        return new ResendRun(executionId(json), string(json, "status"), (int) number(json, "resent", 0));
    }

    private static FailureEntry failureEntry(JsonObject json) {
        JsonValue sequence = json.get("sequence");
        return new FailureEntry(string(json, "sender"), string(json, "messageId"), string(json, "receiver"),
                string(json, "state"), (int) number(json, "attempts", 0), (int) number(json, "resends", 0),
                string(json, "lastError"), string(json, "lastAttemptAt"), string(json, "nextAttemptAt"),
                string(json, "queueId"),
                sequence instanceof JsonNumber ? Long.valueOf(number(json, "sequence", 0)) : null);
    }

    /**
     * A delivery in the failure store: {@code state} is {@link #FAILED} or {@link #ERROR};
     * {@code resends} counts the scheduled resend rounds that failed; {@code lastAttemptAt} and
     * {@code nextAttemptAt} (FAILED only) are ISO-8601 texts as received; {@code queueId} and
     * {@code sequence} are set for an in-order message only.
     */
    public record FailureEntry(String sender, String messageId, String receiver, String state, int attempts,
                               int resends, String lastError, String lastAttemptAt, String nextAttemptAt,
                               String queueId, Long sequence) {

        /** {@code lastAttemptAt} as an instant, or {@code null}. */
        public Instant lastAttempt() {
            return CourierClient.instant(lastAttemptAt);
        }

        /** {@code nextAttemptAt} as an instant, or {@code null}. */
        public Instant nextAttempt() {
            return CourierClient.instant(nextAttemptAt);
        }

        /** The wait the store scheduled after the last attempt ({@code nextAttemptAt - lastAttemptAt}), or {@code null}. */
        public Duration backoff() {
            return nextAttemptAt == null || lastAttemptAt == null ? null : Duration.between(lastAttempt(), nextAttempt());
        }
    }

    /**
     * An execution of the resend job: {@code status} is Jakarta Batch's {@code STARTING},
     * {@code STARTED}, {@code COMPLETED}, {@code STOPPING}, {@code STOPPED}, {@code FAILED} or
     * {@code ABANDONED}; {@code resent} counts the entries it has sent again (0 when not reported).
     */
    public record ResendRun(long executionId, String status, int resent) {

        /** Whether the execution has ended (COMPLETED, STOPPED, FAILED or ABANDONED). */
        public boolean finished() {
            return List.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED").contains(status);
        }
    }

    /**
     * {@code POST /retention/purge}: starts a run of the retention purge as of {@code cutoff} (an
     * ISO-8601 instant; {@code null}: now). 409 while a run is still running, 400 for a bad cutoff.
     */
    public PurgeRunView startPurge(String cutoff) {
        return purgeRunView(call("POST", "/retention/purge", params("cutoff", cutoff)));
    }

    /** {@code GET /retention/purge}: a purge run's status and counts (404 for a run the server does not know). */
    public PurgeRunView purgeRun(long executionId) {
        return purgeRunView(call("GET", "/retention/purge", params("executionId", String.valueOf(executionId))));
    }

    /** {@code GET /overview}: the monitor's overview of the window (an ISO-8601 duration; null: the last hour). */
    public JsonObject overview(String window) {
        return call("GET", "/overview", params("window", window));
    }

    /** {@code GET /failures/groups}: the failure store grouped by receiver and error (of one receiver when given). */
    public JsonObject failureGroups(String receiverOrNull) {
        return call("GET", "/failures/groups", params("receiver", receiverOrNull));
    }

    /** {@code GET /failures/bulk}: what a bulk action on the receiver's entries (of the group when given) would cover. */
    public JsonObject bulkPreview(String receiver, String groupOrNull) {
        return call("GET", "/failures/bulk", params("receiver", receiver, "group", groupOrNull));
    }

    /** {@code POST /failures/bulk/<action>}: one chunk of a bulk resend or cancel, after the delivery id given (null: the first). */
    public JsonObject bulkChunk(String action, String receiver, String groupOrNull, String afterOrNull) {
        return call("POST", "/failures/bulk/" + action, params("receiver", receiver, "group", groupOrNull, "after", afterOrNull));
    }

    /** {@code GET /in-doubt/bulk}: what settling all of the receiver's in-doubt deliveries would cover. */
    public JsonObject inDoubtPreview(String receiver) {
        return call("GET", "/in-doubt/bulk", params("receiver", receiver));
    }

    /** {@code POST /in-doubt/bulk/<delivered|resend>}: one chunk, after the delivery id given (null: the first). */
    public JsonObject inDoubtChunk(String action, String receiver, String afterOrNull) {
        return call("POST", "/in-doubt/bulk/" + action, params("receiver", receiver, "after", afterOrNull));
    }

    /** {@code GET /configuration}: the routing configuration in force (version, since, by, counts, each node's version). */
    public JsonObject configuration() {
        return call("GET", "/configuration", Map.of());
    }

    /** {@code POST /configuration/reload}: the answer whatever its status (200 reloaded or unchanged, 422 refused). */
    public HttpResponse<String> reloadConfiguration() {
        return raw("POST", "/configuration/reload", Map.of());
    }

    /** {@code POST /configuration/check} with {@code xml} as the body ({@code null}: the file), the answer whatever its status. */
    public HttpResponse<String> checkConfiguration(String xml) {
        URI uri = URI.create(base + "/configuration/check");
        HttpRequest request = user.authorize(HttpRequest.newBuilder(uri))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Content-Type", "application/xml")
                .header(CROSS_SITE_HEADER, "integration-test")
                .POST(xml == null ? BodyPublishers.noBody() : BodyPublishers.ofString(xml, UTF_8))
                .build();
        try {
            return HTTP.send(request, BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + uri, e);
        }
    }

    /**
     * Calls the API as it is, for tests of odd requests: a {@code null} parameter is left out.
     * Returns the answer whatever its status.
     */
    public HttpResponse<String> raw(String method, String path, Map<String, String> parameters) {
        String query = parameters.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
        HttpRequest request = user.authorize(HttpRequest.newBuilder(uri))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header(CROSS_SITE_HEADER, "integration-test")
                .method(method, BodyPublishers.noBody())
                .build();
        try {
            return HTTP.send(request, BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + uri, e);
        }
    }

    private JsonObject call(String method, String path, Map<String, String> parameters) {
        HttpResponse<String> response = raw(method, path, parameters);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new AdminCallFailed(method + " " + path + " " + parameters, status, response.body());
        }
        JsonValue json = parseOrNull(response.body());
        if (!(json instanceof JsonObject object)) {
            throw new AdminCallFailed(method + " " + path + " " + parameters + " answered no JSON object",
                    status, response.body());
        }
        return object;
    }

    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, UTF_8).replace("+", "%20");
    }

    static JsonValue parseOrNull(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (JsonException notJson) {
            return null;
        }
    }

    static QueueView queueView(JsonObject json) {
        List<LaneView> lanes = new ArrayList<>();
        JsonValue laneArray = json.get("lanes");
        if (laneArray instanceof JsonArray array) {
            for (JsonValue lane : array) {
                lanes.add(laneView(lane.asJsonObject()));
            }
        }
        return new QueueView(string(json, "sender"), string(json, "queueId"), string(json, "policy"),
                number(json, "lastSequence", 0), lanes);
    }

    static PurgeRunView purgeRunView(JsonObject json) {
        return new PurgeRunView(number(json, "executionId", 0), string(json, "status"), string(json, "cutoff"),
                number(json, "purged", 0), number(json, "tombstonesRemoved", 0));
    }

    private static LaneView laneView(JsonObject json) {
        JsonValue head = json.get("head");
        return new LaneView(string(json, "receiver"), string(json, "state"), (int) number(json, "held", 0),
                head instanceof JsonObject headObject ? headView(headObject) : null);
    }

    private static HeadView headView(JsonObject json) {
        return new HeadView(string(json, "messageId"), number(json, "sequence", 0), string(json, "state"),
                (int) number(json, "attempts", 0), string(json, "lastError"));
    }

    /** A string member; {@code null} when absent or JSON null (any other value as its JSON text). */
    private static String string(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return value instanceof JsonString text ? text.getString() : value.toString();
    }

    /** A number member; {@code absent} when absent or JSON null. */
    private static long number(JsonObject json, String name, long absent) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return absent;
        }
        if (value instanceof JsonNumber number) {
            return number.longValueExact();
        }
        throw new IllegalArgumentException(name + " is not a number in " + json);
    }

    /** A queue: its policy, the last sequence assigned, and one lane per receiver. */
    public record QueueView(String sender, String queueId, String policy, long lastSequence, List<LaneView> lanes) {

        public QueueView {
            lanes = List.copyOf(lanes);
        }

        /** The lane to the named receiver, if the queue has one. */
        public Optional<LaneView> lane(String receiver) {
            return lanes.stream().filter(l -> receiver.equals(l.receiver())).findFirst();
        }
    }

    /**
     * The queue's stream to one receiver: {@code state} is {@code FLOWING}, {@code BLOCKED} (the head
     * has failed at least once) or {@code IDLE} (no head: {@code head} is {@code null}); {@code held}
     * counts the messages waiting behind the head.
     */
    public record LaneView(String receiver, String state, int held, HeadView head) {
    }

    /** The one message of a lane that may go out now: {@code state} is {@code PENDING} or {@code FAILED}. */
    public record HeadView(String messageId, long sequence, String state, int attempts, String lastError) {
    }

    /**
     * A run of the retention purge: {@code status} is its batch status ({@code STARTING}, {@code STARTED},
     * {@code COMPLETED}, {@code FAILED} …), {@code cutoff} the instant it purges as of, and how many messages
     * it purged and expired tombstones it removed so far.
     */
    public record PurgeRunView(long executionId, String status, String cutoff, long purged, long tombstonesRemoved) {

        /** Whether the run has ended, successfully or not. */
        public boolean isOver() {
            return status != null && !status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING");
        }
    }

    /** The admin API answered with a status other than 2xx (or 2xx without a JSON object). */
    public static final class AdminCallFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int status;
        private final String body;

        AdminCallFailed(String call, int status, String body) {
            super(call + ": HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        /** The HTTP status of the answer. */
        public int status() {
            return status;
        }

        /** The body of the answer as received. */
        public String body() {
            return body;
        }

        /** The {@code error} member of a JSON body, or {@code null}. */
        public String error() {
            JsonValue json = parseOrNull(body);
            return json instanceof JsonObject object ? string(object, "error") : null;
        }
    }
}
