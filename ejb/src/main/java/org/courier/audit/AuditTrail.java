package org.courier.audit;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;
import org.courier.retention.RetentionPeriods;

/**
 * Writes and reads the audit trail. {@link #record} commits in a transaction of its own: an
 * action's outcome is already decided when it is audited, and a failing audit write rolls back
 * only itself. Each entry says what it concerned ({@link AuditSubject}), and an operator reads only
 * the entries within its scope. Entries older than the failure retention period go with the purge job.
 */
@Stateless
public class AuditTrail {

    /** The largest page {@link #find} answers. */
    public static final int MAX_PAGE_SIZE = 500;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private RetentionPeriods retention;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void record(AuditRecord action) {
        em.persist(action);
    }

    /**
     * Page {@code page} (from 0) of {@code size} entries an operator with {@code scope} may read,
     * newest first, of {@code actor} (null: anyone) acting in [{@code from}, {@code to}) (null: no
     * bound). Which those are ({@link AuditSubject}) is a condition of the query, so the total
     * counts only them: an unrestricted operator reads every entry; any other, the entries of a
     * sender it is bound to — of an interface it is bound to, when it is bound to interfaces; never
     * an entry that concerns no one sender.
     */
    public AuditPage find(OperatorScope scope, String actor, Instant from, Instant to, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page " + page + " of size " + size);
        }
        ScopeCondition readable = ScopeCondition.jpql(scope, "a.sender", "a.interfaceName");
        List<String> conditions = new ArrayList<>();
        if (!scope.unrestricted()) {
            conditions.add("a.sender is not null" + readable.and());
        }
        if (actor != null) {
            conditions.add("a.actor = :actor");
        }
        if (from != null) {
            conditions.add("a.actedAt >= :from");
        }
        if (to != null) {
            conditions.add("a.actedAt < :to");
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        long total = readable.bind(bind(em.createQuery("select count(a) from AuditRecord a" + where, Long.class), actor,
                from, to)).getSingleResult();
        List<AuditEntry> entries = readable.bind(bind(em.createQuery("select a from AuditRecord a" + where
                + " order by a.actedAt desc, a.id desc", AuditRecord.class), actor, from, to))
                .setFirstResult(Math.multiplyExact(page, size))
                .setMaxResults(size)
                .getResultStream()
                .map(AuditEntry::of)
                .toList();
        return new AuditPage(page, size, total, entries);
    }

    /** Removes the entries older than the failure retention period as of {@code cutoff}; how many. */
    public int removeExpired(Instant cutoff) {
        return em.createQuery("delete from AuditRecord a where a.actedAt < :before")
                .setParameter("before", retention.policy().settledBefore(cutoff, true))
                .executeUpdate();
    }

    private static <T> TypedQuery<T> bind(TypedQuery<T> query, String actor, Instant from, Instant to) {
        if (actor != null) {
            query.setParameter("actor", actor);
        }
        if (from != null) {
            query.setParameter("from", from);
        }
        if (to != null) {
            query.setParameter("to", to);
        }
        return query;
    }
}
