package org.courier.web.admin;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.courier.access.OperatorScope;
import org.courier.monitoring.OperatorOverview;
import org.courier.monitoring.OperatorOverview.Counts;
import org.courier.receivers.HealthKeeper;
import org.courier.receivers.ReceiverCondition;
import org.courier.resend.FailureGroups;
import org.courier.web.access.Caller;

/**
 * The monitor's overview: {@code GET /api/overview[?window=PT1H | from=..&to=..]}. For the window
 * of acceptance (the last hour unless given: an ISO-8601 duration up to 31 days, or {@code from}
 * and {@code to}), per receiver and per interface, the messages accepted and their deliveries by
 * state; per receiver also its health, what waits for it now (whatever the window) and its largest
 * group of errors in the failure store (why it fails); and at the top what needs an operator now:
 * deliveries in the failure store, in doubt, and in-order queues blocked; and a chart of the window:
 * deliveries accepted and delivered, and the backlog, per bucket of minutes. Only messages within
 * the caller's scope are counted.
 */
@Path("/overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    /** The window when none is given. */
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    /** The most distinct recorded errors grouped for "why it fails" at each refresh (the most frequent). */
    static final int ERRORS_GROUPED = 2000;
    /** The longest window asked by length. */
    static final Duration LONGEST_WINDOW = Duration.ofDays(31);

    private final OperatorOverview overview = EnterpriseBeans.lookup(EnterpriseBeans.CORE, OperatorOverview.class);
    private final HealthKeeper health = EnterpriseBeans.lookup(EnterpriseBeans.CORE, HealthKeeper.class);
    private final FailureGroups groups = EnterpriseBeans.lookup(EnterpriseBeans.CORE, FailureGroups.class);

    @GET
    public Overview overview(@QueryParam("window") String window, @QueryParam("from") String from,
                             @QueryParam("to") String to) {
        Instant now = Instant.now();
        TimeWindow span = window(window, from, to, now);
        OperatorScope scope = Caller.current().scope();
        OperatorOverview.Snapshot snapshot = overview.take(scope, span.from(), span.to());
        Map<String, FailureGroups.Group> largest = new HashMap<>();
        FailureGroups.Sample errors = groups.sample(scope, ERRORS_GROUPED);
        for (FailureGroups.Group group : errors.groups()) {
            largest.putIfAbsent(group.receiver(), group); // the largest first
        }
        Map<String, ReceiverCondition> conditions = new HashMap<>();
        health.overview().forEach(c -> conditions.put(c.receiver(), c));
        TreeSet<String> names = new TreeSet<>(conditions.keySet());
        names.addAll(snapshot.receivers().keySet());
        names.addAll(snapshot.waitingNow().keySet());
        List<ReceiverRow> receivers = names.stream().map(name -> ReceiverRow.of(name, conditions.get(name),
                snapshot.receivers().getOrDefault(name, Counts.NONE),
                snapshot.waitingNow().getOrDefault(name, Counts.NONE),
                snapshot.blockedLanes().getOrDefault(name, 0L), largest.get(name), errors.partial())).toList();
        List<InterfaceRow> interfaces = snapshot.interfaces().entrySet().stream()
                .map(e -> InterfaceRow.of(e.getKey(), e.getValue())).toList();
        long failed = snapshot.waitingNow().values().stream().mapToLong(Counts::failed).sum();
        long inDoubt = snapshot.waitingNow().values().stream().mapToLong(Counts::inDoubt).sum();
        long blocked = snapshot.blockedLanes().values().stream().mapToLong(Long::longValue).sum();
        return new Overview(span.from(), span.to(), new Attention(failed, inDoubt, blocked), ChartOnTheWire.of(snapshot.chart()),
                receivers, interfaces);
    }

    /** The window of these query values: a length back from now, or from/to (default: the last hour). */
    static TimeWindow window(String window, String from, String to, Instant now) {
        String length = QueryValues.optional(window);
        if (length == null) {
            return QueryValues.optional(from) == null && QueryValues.optional(to) == null
                    ? new TimeWindow(now.minus(DEFAULT_WINDOW), now) : TimeWindow.of(from, to, now);
        }
        if (QueryValues.optional(from) != null || QueryValues.optional(to) != null) {
            throw QueryValues.invalid("query parameter 'window' is a length back from now: give it, or 'from' and 'to',"
                    + " not both");
        }
        Duration duration;
        try {
            duration = Duration.parse(length);
        } catch (DateTimeParseException e) {
            throw QueryValues.invalid("query parameter 'window' is not an ISO-8601 duration such as PT15M, PT1H or P1D: "
                    + QueryValues.abbreviated(length));
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_WINDOW) > 0) {
            throw QueryValues.invalid("query parameter 'window' must be longer than nothing and at most P31D: " + length);
        }
        return new TimeWindow(now.minus(duration), now);
    }

    /** The overview on the wire. */
    @JsonbPropertyOrder({"from", "to", "attention", "chart", "receivers", "interfaces"})
    public record Overview(Instant from, Instant to, Attention attention, ChartOnTheWire chart, List<ReceiverRow> receivers,
                           List<InterfaceRow> interfaces) {
    }

    /**
     * The window over time: buckets of {@code bucketMinutes}, each with the deliveries accepted and
     * delivered in it and the largest backlog sampled in it (null where none was: Courier was down).
     */
    @JsonbPropertyOrder({"bucketMinutes", "points"})
    public record ChartOnTheWire(long bucketMinutes, List<PointOnTheWire> points) {

        static ChartOnTheWire of(OperatorOverview.Chart chart) {
            return new ChartOnTheWire(chart.bucket().toMinutes(), chart.points().stream()
                    .map(p -> new PointOnTheWire(p.at(), p.accepted(), p.delivered(), p.backlog())).toList());
        }
    }

    /** One bucket of the chart. */
    @JsonbNillable
    @JsonbPropertyOrder({"at", "accepted", "delivered", "backlog"})
    public record PointOnTheWire(Instant at, long accepted, long delivered, Long backlog) {
    }

    /** What needs an operator now, whatever the window: the failure store, in doubt, blocked queues' lanes. */
    @JsonbPropertyOrder({"failed", "inDoubt", "blockedLanes"})
    public record Attention(long failed, long inDoubt, long blockedLanes) {
    }

    /**
     * A receiver: its health ({@code state}, null for a receiver no longer configured), the window's
     * counts, what waits for it now, its blocked lanes, and its largest error group.
     */
    @JsonbNillable
    @JsonbPropertyOrder({"receiver", "state", "accepted", "delivered", "pending", "held", "failed", "inDoubt", "cancelled",
            "waitingNow", "failedNow", "inDoubtNow", "blockedLanes", "topError"})
    public record ReceiverRow(String receiver, String state, long accepted, long delivered, long pending, long held,
                              long failed, long inDoubt, long cancelled, long waitingNow, long failedNow, long inDoubtNow,
                              long blockedLanes, TopError topError) {

        static ReceiverRow of(String name, ReceiverCondition condition, Counts window, Counts now, long blocked,
                              FailureGroups.Group group, boolean partial) {
            return new ReceiverRow(name, condition == null ? null : condition.state().name(), window.accepted(),
                    window.delivered(), window.pending(), window.held(), window.failed(), window.inDoubt(),
                    window.cancelled(), now.waiting(), now.failed(), now.inDoubt(), blocked,
                    group == null ? null : new TopError(group.key(), group.error(), group.example(), group.count(), partial));
        }
    }

    /**
     * A receiver's largest group of errors in the failure store: its key, normalised text, one error
     * as recorded, size; {@code atLeast}: the failure store held more distinct errors than the
     * overview groups at each refresh ({@value #ERRORS_GROUPED}, the most frequent), and the group
     * has at least {@code count} (GET /api/failures/groups counts them all).
     */
    @JsonbPropertyOrder({"group", "error", "example", "count", "atLeast"})
    public record TopError(String group, String error, String example, long count, boolean atLeast) {
    }

    /** An interface: messages accepted in the window, and their deliveries by state. */
    @JsonbPropertyOrder({"interfaceName", "accepted", "delivered", "pending", "held", "failed", "inDoubt", "cancelled"})
    public record InterfaceRow(String interfaceName, long accepted,
                               long delivered, long pending, long held, long failed, long inDoubt, long cancelled) {

        static InterfaceRow of(String name, Counts c) {
            return new InterfaceRow(name, c.accepted(), c.delivered(), c.pending(), c.held(), c.failed(), c.inDoubt(),
                    c.cancelled());
        }
    }
}
