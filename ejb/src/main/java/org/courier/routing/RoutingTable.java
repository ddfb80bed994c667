package org.courier.routing;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.courier.delivery.ReceiverIdentities;
import org.courier.idmapping.PayloadIdentity;

/**
 * The routing configuration of the running Courier, read once when the application is
 * deployed from the file named by the system property {@value #CONFIG_PROPERTY}.
 *
 * <p>A missing property or an invalid file fails the deployment with a message that says
 * what to fix, so Courier never runs without a valid configuration. The configuration does
 * not change while deployed (redeploy to apply an edited file); as it is immutable, calls
 * run concurrently without locking, and without a transaction of their own: a look-up from
 * outside one (the receipt's checks) would otherwise begin and commit an empty JTA
 * transaction, several of them per message received.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class RoutingTable {

    /** The system property holding the path of the configuration file. */
    public static final String CONFIG_PROPERTY = "courier.config";

    private static final Logger LOG = Logger.getLogger(RoutingTable.class.getName());

    @Inject
    private ReceiverIdentities identities;

    /** Set once in {@link #load()}, before the container lets any call in. */
    private RoutingConfiguration configuration;

    @PostConstruct
    void load() {
        String location = System.getProperty(CONFIG_PROPERTY);
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("System property " + CONFIG_PROPERTY + " is not set: start WildFly with -D"
                    + CONFIG_PROPERTY + "=/path/to/courier.xml (see README)");
        }
        Path file = Path.of(location).toAbsolutePath();
        configuration = RoutingConfiguration.parse(file);
        checkIdentities(file);
        LOG.info(() -> "Courier routing: " + count(configuration.receivers().size(), "receiver") + ", "
                + count(configuration.routes().size(), "route")
                + (configuration.aggregators().isEmpty() ? "" : ", " + count(configuration.aggregators().size(), "aggregator"))
                + " from " + file);
    }

    /**
     * Refuses a configuration whose receivers ask for credentials or TLS settings that the server's
     * Elytron does not have: better a failed deployment that says so than deliveries that all fail.
     */
    private void checkIdentities(Path file) {
        List<String> missing = new ArrayList<>();
        for (ReceiverEndpoint receiver : configuration.receivers()) {
            if (receiver.connection().usesElytron()) {
                try {
                    identities.of(receiver);
                } catch (ReceiverIdentities.IdentityMissing e) {
                    missing.add(e.getMessage());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Courier configuration " + file + " names credentials the server does not have: "
                    + String.join(" | ", missing));
        }
    }

    /** The aggregator declared with this name, if any. */
    public Optional<AggregatorDefinition> aggregator(String name) {
        return configuration.aggregator(name);
    }

    /** The inbound SAP RM channel with this name, if any. */
    public Optional<SapRmChannel> sapRmChannel(String name) {
        return configuration.sapRmChannel(name);
    }

    /** The whole configuration. */
    public RoutingConfiguration configuration() {
        return configuration;
    }

    /**
     * The receivers a message of {@code interfaceName} from {@code sender} goes to; see
     * {@link RoutingConfiguration#receiversFor(String, String)}.
     */
    public Optional<List<ReceiverEndpoint>> receiversFor(String sender, String interfaceName) {
        return configuration.receiversFor(sender, interfaceName);
    }

    /** The route a message of this sender and interface takes, if any (see {@link #receiversFor}). */
    public Optional<Route> routeFor(String sender, String interfaceName) {
        return configuration.routeFor(sender, interfaceName);
    }

    /** How a message of this sender and interface without an id gets one from its payload, if its route says so. */
    public Optional<PayloadIdentity> messageIdentityFor(String sender, String interfaceName) {
        return configuration.messageIdentityFor(sender, interfaceName);
    }

    /** The receiver declared with {@code name}, if any. */
    public Optional<ReceiverEndpoint> receiver(String name) {
        return configuration.receiver(name);
    }

    /** The largest message payload Courier accepts, in bytes. */
    public long maxPayloadBytes() {
        return configuration.maxPayloadBytes();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
