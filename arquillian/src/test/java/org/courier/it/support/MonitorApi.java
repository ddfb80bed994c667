package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.courier.it.support.CourierAdmin.AdminCallFailed;
import org.courier.it.support.CourierAdmin.QueueView;

/**
 * What the message monitor reads from the admin API, on the wire, as the signed-in integration
 * user ({@link MonitorSession}): the list of in-order queues ({@code GET api/queues}) and the
 * messages held in a lane ({@code GET api/queue/held}), plus plain GETs of the monitor's own
 * files. Any answer other than 2xx throws {@link AdminCallFailed}.
 */
public final class MonitorApi {

    /** The monitor page of a locally running server. */
    public static final URI PAGE = MonitorSession.PAGE;

    private MonitorSession session;

    /** One page of {@code GET /queues}. */
    public record QueueList(List<QueueView> queues, int offset, int limit, boolean more) {
    }

    /** A message held behind a lane's head. */
    public record HeldMessage(String messageId, long sequence, String part, String state) {
    }

    /** {@code GET /queues}: state, sender, limit and offset may be null (any, or the default). */
    public QueueList queues(String state, String sender, Integer limit, Integer offset) {
        JsonObject json = object("/queues", params("state", state, "sender", sender, "limit", limit, "offset", offset));
        return new QueueList(json.getJsonArray("queues").stream().map(q -> CourierAdmin.queueView(q.asJsonObject()))
                .toList(), json.getInt("offset"), json.getInt("limit"), json.getBoolean("more"));
    }

    /** {@code GET /queue/held}: the messages held behind the head of the receiver's lane, in queue order. */
    public List<HeldMessage> held(String sender, String queueId, String receiver) {
        JsonObject json = object("/queue/held", params("sender", sender, "queueId", queueId, "receiver", receiver));
        return json.getJsonArray("held").stream().map(JsonValue::asJsonObject).map(h -> new HeldMessage(
                h.getString("messageId"), h.getJsonNumber("sequence").longValue(), h.getString("part", ""),
                h.getString("state"))).toList();
    }

    /** A GET of an admin API path with these query parameters, for checking refusals; throws on non-2xx. */
    public JsonObject get(String path, Map<String, Object> parameters) {
        return object(path, parameters);
    }

    /** A GET of a file of the monitor (relative to {@link #PAGE}) as the integration user: status and body. */
    public HttpResponse<String> page(String file) {
        return session().get(file);
    }

    private JsonObject object(String path, Map<String, Object> parameters) {
        String query = parameters.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = session().get("api" + path + (query.isEmpty() ? "" : "?" + query));
        if (response.statusCode() / 100 != 2 || !(CourierAdmin.parseOrNull(response.body()) instanceof JsonObject json)) {
            throw new AdminCallFailed("GET " + path + " " + parameters, response.statusCode(), response.body());
        }
        return json;
    }

    private MonitorSession session() {
        if (session == null) {
            session = MonitorSession.signIn(TestUser.INTEGRATION);
        }
        return session;
    }

    private static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return parameters;
    }
}
