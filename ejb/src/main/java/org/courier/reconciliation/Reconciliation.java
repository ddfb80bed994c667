package org.courier.reconciliation;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.courier.access.OperatorScope;
import org.courier.routing.Route;
import org.courier.routing.RoutingTable;

/**
 * Reconciles one sender's messages accepted in a window (rule: {@link ReconciliationReport},
 * {@link ReceiverBalance}, {@link Bucket}). Counting is done by the database; only what does
 * not add up is read message by message, at most {@value #MAX_LISTED} listed.
 *
 * <p>What the route names is judged by the configuration running now: a message accepted
 * under an earlier configuration may show a receiver as missing that its route no longer (or
 * not yet) named. The operator's scope is part of every query: a report holds only the messages
 * it may see. The queries read committed data one after another: a window that ends now can
 * see a message accepted meanwhile in one count and not another; reconcile a window that has
 * ended for exact figures.
 */
@Stateless
public class Reconciliation {

    /** The most unbalanced messages a report lists (all are counted). */
    public static final int MAX_LISTED = 1000;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private RoutingTable routing;

    /** The report of {@code sender}'s messages accepted in [from, to) that the operator may see (within {@code scope}). */
    public ReconciliationReport of(OperatorScope scope, String sender, Instant from, Instant to) {
        Run run = new Run(new ReconciliationSql(scope), sender, from, to);
        run.messages();
        run.deliveries();
        return run.report();
    }

    /** One reconciliation while it reads: the counts so far and what is listed. */
    private final class Run {

        private final ReconciliationSql sql;
        private final String sender;
        private final Instant from;
        private final Instant to;
        private final Map<String, ReceiverTally> receivers = new TreeMap<>();
        private final Map<String, Long> interfacesWithDeliveries = new TreeMap<>();
        private final List<Unbalanced> listed = new ArrayList<>();
        private long unbalancedTotal;
        private long withDeliveries;
        private long aggregated;
        private long withoutDelivery;

        Run(ReconciliationSql sql, String sender, Instant from, Instant to) {
            this.sql = sql;
            this.sender = sender;
            this.from = from;
            this.to = to;
        }

        /** Messages by interface: with deliveries, handed to an aggregator, or without a delivery (unbalanced). */
        void messages() {
            for (Object[] row : rows(sql.messages())) {
                String interfaceName = (String) row[0];
                long count = ((Number) row[2]).longValue();
                Optional<Route> route = routing.routeFor(sender, interfaceName);
                if (((Number) row[1]).intValue() == 1) {
                    withDeliveries += count;
                    interfacesWithDeliveries.put(interfaceName, count);
                } else if (route.map(r -> r.aggregator() != null).orElse(false)) {
                    aggregated += count;
                } else {
                    withoutDelivery += count;
                    unbalanced(count, sql.withoutDelivery(), null, route.isEmpty()
                            ? "accepted without any delivery, and no route for interface " + interfaceName + " now"
                            : "accepted without any delivery, though its route (interface " + interfaceName
                            + ") has receivers and no aggregator", interfaceName);
                }
            }
        }

        /** Deliveries per receiver into buckets; unknown states, duplicate parts and missing receivers listed. */
        void deliveries() {
            for (Object[] row : rows(sql.states())) {
                String receiver = (String) row[0];
                String state = (String) row[1];
                long count = ((Number) row[2]).longValue();
                if (!tally(receiver).add(state, count)) {
                    unbalanced(count, sql.inState(), receiver, "delivery in state " + state
                            + ", which this version of Courier does not know: no bucket holds it", receiver, state);
                }
            }
            for (Object[] row : rows(sql.duplicates())) {
                long rows = ((Number) row[3]).longValue();
                tally((String) row[1]).duplicates(rows - 1);
                list(new Unbalanced((String) row[0], (String) row[1], "part '" + row[2] + "' recorded " + rows
                        + " times for this receiver: it may have been delivered more than once"));
            }
            interfacesWithDeliveries.keySet().forEach(this::missingReceivers);
        }

        private void missingReceivers(String interfaceName) {
            for (String receiver : routing.routeFor(sender, interfaceName).map(Route::receiverNames).orElse(List.of())) {
                long missing = ((Number) window(sql.countMissing(), interfaceName, receiver)
                        .getSingleResult()).longValue();
                if (missing > 0) {
                    tally(receiver).missing(missing);
                    unbalanced(missing, sql.missing(), receiver, "its route (interface " + interfaceName
                            + ") names this receiver, but the message has no delivery to it", interfaceName, receiver);
                }
            }
        }

        ReconciliationReport report() {
            return ReconciliationReport.of(sender, from, to, withDeliveries + aggregated + withoutDelivery, withDeliveries,
                    aggregated, withoutDelivery, receivers.values().stream().map(ReceiverTally::balance).toList(),
                    unbalancedTotal, listed);
        }

        private ReceiverTally tally(String receiver) {
            return receivers.computeIfAbsent(receiver, ReceiverTally::new);
        }

        /** Counts {@code count} unbalanced messages and lists those the query finds, as room allows. */
        private void unbalanced(long count, String query, String receiver, String reason, Object... parameters) {
            unbalancedTotal += count;
            int room = MAX_LISTED - listed.size();
            if (room > 0) {
                window(query, parameters).setMaxResults(room).getResultList()
                        .forEach(id -> listed.add(new Unbalanced((String) id, receiver, reason)));
            }
        }

        private void list(Unbalanced entry) {
            unbalancedTotal++;
            if (listed.size() < MAX_LISTED) {
                listed.add(entry);
            }
        }

        @SuppressWarnings("unchecked")
        private List<Object[]> rows(String query) {
            return window(query).getResultList();
        }

        /** The query with the window's parameters bound first, then the scope's, then these. */
        private Query window(String text, Object... parameters) {
            List<Object> values = new ArrayList<>(List.of(sender, Timestamp.from(from), Timestamp.from(to)));
            values.addAll(sql.scopeParameters());
            values.addAll(List.of(parameters));
            Query query = em.createNativeQuery(text);
            for (int i = 0; i < values.size(); i++) {
                query.setParameter(i + 1, values.get(i));
            }
            return query;
        }
    }
}
