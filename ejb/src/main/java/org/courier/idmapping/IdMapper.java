package org.courier.idmapping;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.HexFormat;
import java.util.List;
import org.courier.access.OperatorScope;

/**
 * Maps a source id (sender/message id) in a context (the receiver; a split item or a branch)
 * to the target id a receiver needs, repeatably: the same pair always gets the same target id,
 * also when two threads or nodes ask at once (the unique key decides, the loser reads the
 * winner's) and after restarts. A stored mapping's id is random and lives as long as its
 * record; a derived one is computed under the installation's secret and needs no record, but
 * one is written for look-ups all the same.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class IdMapper {

    static final String SECRET = "id-mapping";

    @EJB
    private IdMappingStore store;

    @EJB
    private SecretStore secrets;

    /** The target id of (source id, context) under this rule. */
    public String map(String sourceId, String context, IdMappingRule rule) {
        return store.find(sourceId, context).map(IdMapping::targetId).orElseGet(() -> create(sourceId, context, rule));
    }

    /** Mappings of this source id, for operators tracing a message: those within the operator's scope. */
    public List<IdMapping> bySource(OperatorScope scope, String sourceId) {
        return store.bySource(scope, sourceId);
    }

    /** The mapping(s) that gave this target id, for operators tracing an id a receiver reports: those within the scope. */
    public List<IdMapping> byTarget(OperatorScope scope, String targetId) {
        return store.byTarget(scope, targetId);
    }

    private String create(String sourceId, String context, IdMappingRule rule) {
        byte[] seed = rule.mode() == IdMappingRule.Mode.DERIVED
                ? seeds().derived(sourceId, context)
                : MappingSeeds.random();
        String target = rule.format().render(seed, sourceId);
        rule.format().problem(target).ifPresent(problem -> {
            throw new IllegalStateException("id format " + rule.format().name() + " made an invalid id: " + problem);
        });
        try {
            return store.insert(sourceId, context, target, rule).targetId();
        } catch (MappingCollided collided) {
            return store.find(sourceId, context).map(IdMapping::targetId).orElseThrow(() ->
                    new IllegalStateException("id mapping of " + sourceId + " in " + context + " collided but is not there", collided));
        }
    }

    private MappingSeeds seeds() {
        String secret = secrets.find(SECRET).orElseGet(() -> {
            try {
                return secrets.create(SECRET);
            } catch (MappingCollided collided) {
                return secrets.find(SECRET).orElseThrow();
            }
        });
        return new MappingSeeds(HexFormat.of().parseHex(secret));
    }
}
