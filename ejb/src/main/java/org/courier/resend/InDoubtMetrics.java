package org.courier.resend;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.List;
import org.courier.access.OperatorScope;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;

/**
 * In-doubt deliveries as meters in WildFly's Micrometer registry (scraped in Prometheus format
 * at the management interface's {@code /prometheus}), per non-idempotent receiver:
 * {@code courier_deliveries_in_doubt} (gauge: held IN_DOUBT now) and
 * {@code courier_possible_duplicates_total} (counter: requests sent again while an earlier
 * attempt was in doubt). Both are read from the database when scraped, so they agree with the
 * admin API, survive restarts and count across nodes.
 *
 * <p>Registered with {@code registry.gauge(...)} and {@code registry.more().counter(...)}, not
 * with the meter builders: WildFly 39 hands a deployment a registry that passes only those
 * calls on to the registry it exports (builder registrations stay in the deployment's own).
 */
@Singleton
@Startup
@DependsOn("RoutingTable")
public class InDoubtMetrics {

    static final String IN_DOUBT = "courier.deliveries.in.doubt";
    static final String POSSIBLE_DUPLICATES = "courier.possible.duplicates";

    @Inject
    private MeterRegistry registry;

    @EJB
    private RoutingTable routing;

    @EJB
    private FailureStore store;

    @PostConstruct
    void register() {
        for (ReceiverEndpoint receiver : routing.configuration().receivers()) {
            if (!receiver.idempotent()) {
                String name = receiver.name();
                Tags tags = Tags.of("receiver", name);
                registry.gauge(IN_DOUBT, tags, store, s -> s.countInDoubt(OperatorScope.EVERYTHING, name));
                registry.more().counter(POSSIBLE_DUPLICATES, tags, store,
                        s -> s.possibleDuplicates(OperatorScope.EVERYTHING, name));
            }
        }
    }

    @PreDestroy
    void remove() {
        for (String name : List.of(IN_DOUBT, POSSIBLE_DUPLICATES)) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }
}
