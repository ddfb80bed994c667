package org.courier.aggregation;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.courier.idmapping.IdFormat;
import org.courier.idmapping.IdMapper;
import org.courier.idmapping.IdMapping;
import org.courier.idmapping.IdMappingRule;
import org.courier.idmapping.IdMappingStore;
import org.courier.message.ReceivedMessage;
import org.courier.routing.AggregatorDefinition;
import org.courier.routing.RoutingTable;
import org.courier.steps.IdempotentStep;

/**
 * Collects messages into aggregates and releases them, exactly once each.
 *
 * <p>A member is added in the transaction that accepts its message, under the lock of its
 * aggregation row, guarded by an {@link IdempotentStep} per (aggregator, message): however often
 * a message is offered, it counts once. The aggregate that a member completes is released in the
 * same transaction; one that times out is released by {@link AggregationTimer} in a transaction
 * of its own. Either way the row's aggregate number moves on in the transaction that accepts
 * the aggregate as a message, so an aggregate is released once, and its id, mapped from
 * (aggregator, correlation value, number), is the same however often a release is retried.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class Aggregator {

    /** The form of an aggregate's message id: an XI-style GUID derived from its (aggregator, correlation, number). */
    static final IdMappingRule AGGREGATE_IDS = new IdMappingRule(IdFormat.parse("xi"), IdMappingRule.Mode.DERIVED,
            IdMappingRule.DEFAULT_EXPIRATION);
    static final String ID_CONTEXT = "aggregate";
    /** The context of a member's mapping to its aggregate's id: {@code aggregate:<aggregator>}. */
    public static final String MEMBER_CONTEXT_PREFIX = "aggregate:";
    /** How long a due aggregate whose aggregator is no longer configured waits before it is looked at again. */
    private static final Duration UNCONFIGURED_RETRY = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(Aggregator.class.getName());

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private IdempotentStep steps;

    @EJB
    private IdMapper idMapper;

    @EJB
    private IdMappingStore mappings;

    @EJB
    private RoutingTable routing;

    /**
     * Makes sure the aggregation row of (aggregator, correlation) exists, in a transaction of its
     * own before the receipt's, as an in-order queue is prepared; {@link AggregationCollided}
     * if a concurrent first member created it first (it exists then).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void prepare(String aggregator, String correlation) {
        if (find(aggregator, correlation, LockModeType.NONE).isPresent()) {
            return;
        }
        try {
            em.persist(new Aggregation(aggregator, correlation));
            em.flush();
        } catch (PersistenceException e) {
            throw new AggregationCollided(e);
        }
    }

    /**
     * Adds an accepted message to its correlation's open aggregate, in the receipt's transaction;
     * the aggregate it completes, if it does.
     */
    public Optional<ReleasedAggregate> add(AggregatorDefinition definition, String correlation, ReceivedMessage message) {
        Aggregation aggregation = find(definition.name(), correlation, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() ->
                new IllegalStateException("aggregation " + definition.name() + "/" + correlation + " was not prepared"));
        Instant now = Instant.now();
        boolean added = steps.once("aggregate:" + definition.name(), IdMapping.sourceId(message.sender(), message.messageId()), () -> {
            int memberNo = aggregation.addMember(now, definition.timeout());
            em.persist(new AggregateMember(aggregation.id(), aggregation.openNo(), memberNo, message.sender(),
                    message.messageId(), message.payload(), now));
        });
        if (added && aggregation.members() >= definition.releaseCount()) {
            return Optional.of(release(definition, aggregation, "count", now));
        }
        return Optional.empty();
    }

    /** Releases the aggregation's open aggregate if it is due, in the caller's transaction. */
    public Optional<ReleasedAggregate> releaseIfDue(String aggregationId) {
        Aggregation aggregation = em.find(Aggregation.class, aggregationId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        if (aggregation == null || !aggregation.isDue(now)) {
            return Optional.empty();
        }
        Optional<AggregatorDefinition> definition = routing.aggregator(aggregation.aggregator());
        if (definition.isEmpty()) {
            aggregation.postpone(now.plus(UNCONFIGURED_RETRY));
            LOG.warning(() -> "Aggregate " + aggregation.openNo() + " of " + aggregation.aggregator() + "/"
                    + aggregation.correlation() + " is due, but aggregator " + aggregation.aggregator()
                    + " is no longer configured: it is kept (" + aggregation.members() + " members) and looked at again in "
                    + UNCONFIGURED_RETRY.toHours() + " h");
            return Optional.empty();
        }
        return Optional.of(release(definition.get(), aggregation, "timeout", now));
    }

    /** Aggregations with an aggregate due as of {@code now}, longest due first. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<String> due(Instant now, int limit) {
        return em.createNamedQuery(Aggregation.DUE, String.class).setParameter("now", now).setMaxResults(limit).getResultList();
    }

    /** Idle aggregation rows (nothing open) whose last release is older than {@code cutoff} go; how many. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int removeIdle(Instant cutoff) {
        return em.createQuery("delete from Aggregation a where a.members = 0 and a.lastReleasedAt < :cutoff")
                .setParameter("cutoff", cutoff).executeUpdate();
    }

    private ReleasedAggregate release(AggregatorDefinition definition, Aggregation aggregation, String completion, Instant now) {
        int number = aggregation.openNo();
        List<AggregateMember> members = em.createNamedQuery(AggregateMember.OF_AGGREGATE, AggregateMember.class)
                .setParameter("aggregationId", aggregation.id())
                .setParameter("aggregateNo", number)
                .getResultList();
        String messageId = idMapper.map(IdMapping.sourceId(definition.name(), aggregation.correlation() + "#" + number),
                ID_CONTEXT, AGGREGATE_IDS);
        // each member's content travels under the aggregate's id: mapped so, for operators both ways
        // (a member's detail names its aggregate; GET /api/id-mappings?target=<id> lists the members)
        String memberContext = MEMBER_CONTEXT_PREFIX + definition.name();
        members.forEach(member -> mappings.record(IdMapping.sourceId(member.sender(), member.messageId()), memberContext,
                messageId, AGGREGATE_IDS));
        String payload = AggregatePayload.of(definition.name(), aggregation.correlation(), number, completion, members);
        members.forEach(em::remove);
        aggregation.released(now);
        LOG.info(() -> "Aggregate " + number + " of " + definition.name() + "/" + aggregation.correlation() + " released by "
                + completion + " with " + members.size() + " members as " + definition.name() + "/" + messageId);
        return new ReleasedAggregate(definition.name(), definition.interfaceName(), messageId, payload, members.size());
    }

    private Optional<Aggregation> find(String aggregator, String correlation, LockModeType lock) {
        return em.createNamedQuery(Aggregation.BY_KEY, Aggregation.class)
                .setParameter("aggregator", aggregator)
                .setParameter("correlation", correlation)
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }
}
