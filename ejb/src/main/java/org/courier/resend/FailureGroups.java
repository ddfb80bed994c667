package org.courier.resend;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.courier.access.OperatorScope;
import org.courier.message.Delivery;
import org.courier.operations.BulkAction;
import org.courier.operations.DeliveryOperations;

/**
 * The failure store grouped, and acted on in bulk. A group is the FAILED and ERROR deliveries of
 * one receiver whose errors are the same but for ids, numbers and times ({@link ErrorGroup}):
 * 800 deliveries failing with "order 4711 unknown", "order 4712 unknown", ... are one group of
 * 800. A bulk action (resend or cancel, of a group or of all of a receiver's) runs in chunks of
 * at most {@value #CHUNK} deliveries, each chunk one transaction and one request: the caller
 * asks for the next chunk after the last delivery id it was given, until none is left, so that
 * an action over 100 000 deliveries holds no transaction or request open for minutes, and a run
 * broken off anywhere is finished by running it again (each delivery is acted on only while it is
 * still in the failure store). Deliveries held in doubt are settled in bulk the same way (declared
 * delivered, or resent). Only deliveries of messages within the operator's scope.
 */
@Stateless
public class FailureGroups {

    private static final Logger LOG = Logger.getLogger(FailureGroups.class.getName());
    /** At most this many deliveries acted on per chunk (one transaction). */
    static final int CHUNK = 500;
    /** At most this many rows of the failure store read per chunk to find them. */
    static final int SCAN = 5000;
    /** How many deliveries a preview lists. */
    static final int EXAMPLES = 20;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private DeliveryOperations operations;

    /**
     * A group: the receiver, the group's key and normalised error, how many deliveries, the
     * earliest and latest last attempt among them, and one of their errors as it was recorded.
     */
    public record Group(String receiver, String key, String error, long count, Instant firstSeen, Instant lastSeen,
                        String example) {
    }

    /** What a bulk action would cover: how many deliveries, and the first {@value #EXAMPLES} of them. */
    public record Preview(long count, List<FailureEntry> examples) {
    }

    /**
     * One chunk of a bulk action: deliveries acted on, deliveries found no longer in the failure
     * store, and where the next chunk starts (null: the action is complete; on the wire
     * {@code "next": null}, not left out).
     */
    @JsonbNillable
    public record Step(int done, int skipped, String next) {
    }

    /** The groups of the failure store within the scope (of one receiver when given), the largest first. */
    public List<Group> groups(OperatorScope scope, String receiver) {
        return grouped(query(scope, receiver).getResultList());
    }

    /** The groups made of at most this many distinct recorded errors (the most frequent), and whether there were more. */
    public record Sample(List<Group> groups, boolean partial) {
    }

    /**
     * Every receiver's groups made of at most {@code errors} distinct recorded errors, the most
     * frequent first: what a view refreshed every few seconds can afford when the failure store
     * holds many thousands of errors, each with an id of its own. When there were more ({@code
     * partial}), a group's count is its part among those: at least that many.
     */
    public Sample sample(OperatorScope scope, int errors) {
        List<Object[]> rows = query(scope, null).setMaxResults(errors + 1).getResultList();
        boolean partial = rows.size() > errors;
        return new Sample(grouped(partial ? rows.subList(0, errors) : rows), partial);
    }

    private TypedQuery<Object[]> query(OperatorScope scope, String receiver) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        return selection.bind(em.createQuery("select d.receiver, d.lastError, count(d), min(d.lastAttemptAt),"
                + " max(d.lastAttemptAt) from Delivery d" + selection.where(FailureSelection.IN_STORE)
                + " group by d.receiver, d.lastError order by count(d) desc, d.receiver, d.lastError", Object[].class));
    }

    private static List<Group> grouped(List<Object[]> rows) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Object[] row : rows) {
            String name = (String) row[0];
            String error = (String) row[1];
            ErrorGroup group = ErrorGroup.of(error);
            Group one = new Group(name, group.key(), group.text(), ((Number) row[2]).longValue(), (Instant) row[3],
                    (Instant) row[4], error);
            groups.merge(name + '\n' + group.key(), one, FailureGroups::merged);
        }
        List<Group> largestFirst = new ArrayList<>(groups.values());
        largestFirst.sort(Comparator.comparingLong(Group::count).reversed().thenComparing(Group::receiver)
                .thenComparing(Group::error));
        return largestFirst;
    }

    private static Group merged(Group a, Group b) {
        return new Group(a.receiver(), a.key(), a.error(), a.count() + b.count(), earlier(a.firstSeen(), b.firstSeen()),
                later(a.lastSeen(), b.lastSeen()), a.count() >= b.count() ? a.example() : b.example());
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /**
     * What a bulk action on the receiver's deliveries in the failure store (of the group
     * {@code groupKey} when given, all of them otherwise) would cover now.
     */
    public Preview preview(OperatorScope scope, String receiver, String groupKey) {
        return preview(scope, receiver, groupKey, FailureSelection.IN_STORE);
    }

    /** What a bulk action on the receiver's deliveries held in doubt would cover now. */
    public Preview previewInDoubt(OperatorScope scope, String receiver) {
        return preview(scope, receiver, null, FailureSelection.IN_DOUBT);
    }

    private Preview preview(OperatorScope scope, String receiver, String groupKey, String held) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        if (groupKey == null) {
            long count = selection.bind(em.createQuery("select count(d) from Delivery d"
                    + selection.where(held), Long.class)).getSingleResult();
            List<FailureEntry> examples = selection.bind(em.createQuery("select d from Delivery d"
                            + selection.where(held) + " order by d.lastAttemptAt, d.id", Delivery.class))
                    .setMaxResults(EXAMPLES).getResultStream().map(FailureEntry::of).toList();
            return new Preview(count, examples);
        }
        long count = 0;
        List<String> examples = new ArrayList<>();
        for (Object[] row : selection.bind(em.createQuery("select d.id, d.lastError from Delivery d"
                + selection.where(held) + " order by d.lastAttemptAt, d.id", Object[].class))
                .getResultList()) {
            if (ErrorGroup.of((String) row[1]).key().equals(groupKey)) {
                count++;
                if (examples.size() < EXAMPLES) {
                    examples.add((String) row[0]);
                }
            }
        }
        return new Preview(count, examples.stream().map(id -> FailureEntry.of(em.find(Delivery.class, id))).toList());
    }

    /**
     * One chunk of a bulk action on the receiver's deliveries in the failure store (of the group
     * {@code groupKey} when given), after the delivery id {@code after} (null: from the start), in
     * the caller's transaction.
     */
    public Step act(OperatorScope scope, String receiver, String groupKey, BulkAction action, String after, String by) {
        return act(scope, receiver, groupKey, false, action, after, by);
    }

    /**
     * One chunk of a bulk action on the receiver's deliveries held in doubt (declare delivered, or
     * resend), as {@link #act} on the failure store.
     */
    public Step actInDoubt(OperatorScope scope, String receiver, BulkAction action, String after, String by) {
        return act(scope, receiver, null, true, action, after, by);
    }

    private Step act(OperatorScope scope, String receiver, String groupKey, boolean inDoubt, BulkAction action, String after,
                     String by) {
        FailureSelection selection = FailureSelection.of(scope, receiver);
        String held = inDoubt ? FailureSelection.IN_DOUBT : FailureSelection.IN_STORE;
        TypedQuery<Object[]> query = selection.bind(em.createQuery("select d.id, d.lastError from Delivery d"
                + selection.where(held + (after == null ? "" : " and d.id > :after"))
                + " order by d.id", Object[].class)).setMaxResults(SCAN);
        if (after != null) {
            query.setParameter("after", after);
        }
        List<Object[]> rows = query.getResultList();
        int done = 0;
        int skipped = 0;
        String last = null;
        for (Object[] row : rows) {
            last = (String) row[0];
            if (groupKey != null && !ErrorGroup.of((String) row[1]).key().equals(groupKey)) {
                continue;
            }
            if (operations.actInBulk(last, action, inDoubt)) {
                done++;
            } else {
                skipped++;
            }
            if (done + skipped == CHUNK) {
                break;
            }
        }
        boolean more = rows.size() == SCAN || done + skipped == CHUNK;
        Step step = new Step(done, skipped, more ? last : null);
        int acted = done;
        LOG.info(() -> "Operator " + by + ": " + action.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " of " + acted
                + (inDoubt ? " deliveries held in doubt to " : " deliveries of the failure store to ") + receiver + (groupKey == null ? "" : " (error group " + groupKey + ")")
                + (scope.unrestricted() ? "" : " within " + scope) + (more ? ", more follow" : ", complete"));
        return step;
    }
}
