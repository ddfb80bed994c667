package org.courier.idmapping;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.courier.access.OperatorScope;

/**
 * The id mapping records, each write in a transaction of its own: a mapping committed once is
 * the answer for its (source id, context) from then on, whatever happens to the transaction
 * that asked for it (a receipt that rolls back and is retried gets the same id again).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class IdMappingStore {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    /** The mapping of (source id, context), if there is one. */
    public Optional<IdMapping> find(String sourceId, String context) {
        return em.createNamedQuery(IdMapping.BY_SOURCE_AND_CONTEXT, IdMapping.class)
                .setParameter("sourceId", sourceId)
                .setParameter("context", context)
                .getResultStream()
                .findFirst();
    }

    /** Inserts a mapping; {@link MappingCollided} if another one of the pair was committed first. */
    public IdMapping insert(String sourceId, String context, String targetId, IdMappingRule rule) {
        IdMapping mapping = new IdMapping(sourceId, context, targetId, rule, Instant.now());
        try {
            em.persist(mapping);
            em.flush();
        } catch (PersistenceException e) {
            throw new MappingCollided(e);
        }
        return mapping;
    }

    /**
     * Records a mapping in the caller's transaction (committed or rolled back with it): for
     * mappings whose target is already decided, e.g. each member of a released aggregate to the
     * aggregate's id. The pair must be new (the caller's own step guarantees it).
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void record(String sourceId, String context, String targetId, IdMappingRule rule) {
        em.persist(new IdMapping(sourceId, context, targetId, rule, Instant.now()));
    }

    /** Mappings of a source id, all contexts, within an operator's scope. */
    public List<IdMapping> bySource(OperatorScope scope, String sourceId) {
        return found(MappingLookup.bySource(scope, sourceId));
    }

    /** Mappings that gave this target id (one, unless two formats collide by chance), within an operator's scope. */
    public List<IdMapping> byTarget(OperatorScope scope, String targetId) {
        return found(MappingLookup.byTarget(scope, targetId));
    }

    @SuppressWarnings("unchecked")
    private List<IdMapping> found(MappingLookup lookup) {
        Query query = em.createNativeQuery(lookup.sql(), IdMapping.class);
        List<Object> parameters = lookup.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        return query.getResultList();
    }

    /** Deletes the records expired before {@code cutoff}; how many. */
    public int removeExpired(Instant cutoff) {
        return em.createQuery("delete from IdMapping m where m.expiresAt < :cutoff").setParameter("cutoff", cutoff)
                .executeUpdate();
    }
}
