package org.courier.routing;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.courier.cluster.SharedConfiguration;
import org.courier.delivery.ReceiverIdentities;
import org.courier.idmapping.PayloadIdentity;

/**
 * The routing configuration of the running Courier: read when the application is deployed from
 * the file named by the system property {@value #CONFIG_PROPERTY}, and again when an operator
 * reloads it ({@link #reload}).
 *
 * <p>A missing property or an invalid file fails the deployment with a message that says what
 * to fix, so Courier never runs without a valid configuration. A reload reads the file again,
 * checks it whole (the schema, the cross-references, the receivers' credentials in Elytron) and
 * puts it in force at once, or not at all: a file with any finding changes nothing and says
 * why. The configuration in force is immutable and swapped as one reference, so calls run
 * concurrently without locking, each on one version; and without a transaction of their own: a
 * look-up from outside one (the receipt's checks) would otherwise begin and commit an empty JTA
 * transaction, several of them per message received. A message already accepted keeps the
 * deliveries it was given; one to a receiver a reload removed fails and waits in the failure
 * store, as after a restart with that file.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class RoutingTable {

    /** The system property holding the path of the configuration file. */
    public static final String CONFIG_PROPERTY = "courier.config";

    private static final Logger LOG = Logger.getLogger(RoutingTable.class.getName());
    /** How many hexadecimal digits of the file's SHA-256 name its version. */
    private static final int VERSION_DIGITS = 12;

    @Inject
    private ReceiverIdentities identities;

    /** The configuration the cluster shares; none outside the container (unit tests): nothing to share with. */
    @EJB
    private SharedConfiguration shared;

    /** Set in {@link #load()}, before the container lets any call in; replaced whole by a reload. */
    private volatile InForce inForce;
    private final Object reloading = new Object();
    /** The cluster's version this node could not put in force (logged once). */
    private volatile String refusedVersion;
    /** Another node seen within this time runs: at the start, the cluster's configuration wins over the file. */
    private static final Duration CLUSTER_ALIVE = Duration.ofSeconds(60);

    /**
     * The configuration in force: what it is, its version (the first {@value #VERSION_DIGITS}
     * hexadecimal digits of the SHA-256 of the file's bytes), since when, and who put it in force
     * ("deployment" for the file read at deployment).
     */
    public record InForce(RoutingConfiguration configuration, ConfigurationOutline outline, String version, Instant since,
                          String by, Path file, byte[] content) {
    }

    /** What a reload or a check found: the version it read, and what it changes against the version in force. */
    public record Reading(String version, String previous, ConfigurationChanges changes) {
    }

    @PostConstruct
    void load() {
        String location = System.getProperty(CONFIG_PROPERTY);
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("System property " + CONFIG_PROPERTY + " is not set: start WildFly with -D"
                    + CONFIG_PROPERTY + "=/path/to/courier.xml (see README)");
        }
        Path file = Path.of(location).toAbsolutePath();
        InForce read = settle(read(file, "deployment"));
        inForce = read;
        RoutingConfiguration configuration = read.configuration();
        LOG.info(() -> "Courier routing: " + count(configuration.receivers().size(), "receiver") + ", "
                + count(configuration.routes().size(), "route")
                + (configuration.aggregators().isEmpty() ? "" : ", " + count(configuration.aggregators().size(), "aggregator"))
                + " from " + (read.by().equals("deployment") ? file : "the cluster's configuration") + " (version "
                + read.version() + ")");
    }

    /**
     * At the start: the file read, or the cluster's configuration if other nodes run with another
     * one (the file differs from what an operator reloaded on the cluster: the cluster's stays in
     * force, until a reload puts a file in force on every node). A node alone (a single server, or
     * the first node of a cluster to start) publishes its file: it is the configuration.
     */
    private InForce settle(InForce file) {
        if (shared == null) {
            return file;
        }
        try {
            return settleWithCluster(file);
        } catch (IllegalStateException databaseAway) {
            LOG.warning(() -> "Courier routing: the file is in force; the cluster's configuration could not be read now"
                    + " (tried again at every heartbeat): " + databaseAway.getMessage());
            return file;
        }
    }

    private InForce settleWithCluster(InForce file) {
        Optional<SharedConfiguration.Published> published = shared.published();
        if (published.isPresent() && !published.get().version().equals(file.version())
                && shared.othersAlive(CLUSTER_ALIVE)) {
            SharedConfiguration.Published cluster = published.get();
            try {
                InForce taken = read(cluster.content(), file.file(), "the cluster's configuration (version " + cluster.version()
                        + ")", "cluster.xml", cluster.changedBy());
                LOG.warning(() -> "Courier routing: " + file.file() + " (version " + file.version() + ") is not the"
                        + " configuration the other nodes have in force (version " + cluster.version() + ", put in force by "
                        + cluster.changedBy() + " on node " + cluster.changedOn() + "): that one is in force here too; a reload"
                        + " puts a file in force on every node (docs/configuration.md)");
                shared.inForceHere(taken.version());
                return taken;
            } catch (InvalidConfigurationException e) {
                LOG.warning(() -> "Courier routing: the cluster's configuration (version " + cluster.version() + ") cannot be"
                        + " put in force on this node, its own file is: " + String.join(" | ", e.errors()));
            }
        }
        if (published.isEmpty() || !published.get().version().equals(file.version())) {
            shared.publish(file.version(), file.content(), "deployment");
        }
        shared.inForceHere(file.version());
        return file;
    }

    /**
     * Takes the cluster's configuration if another node put a new one in force (a reload there);
     * called at every heartbeat ({@link org.courier.cluster.NodeHeartbeat}). A configuration that
     * cannot be put in force here (credentials this node's Elytron lacks) is logged once and left.
     */
    public void follow() {
        if (shared == null) {
            return;
        }
        synchronized (reloading) { // read and compared under the lock: a reload here meanwhile is not undone
            Optional<String> published = shared.publishedVersion();
            InForce now = inForce;
            if (published.isEmpty()) {
                shared.publish(now.version(), now.content(), now.by()); // its start could not: the database was away
            } else if (!published.get().equals(now.version()) && !published.get().equals(refusedVersion)) {
                shared.published().ifPresent(cluster -> take(cluster, now));
            }
            shared.inForceHere(inForce.version());
        }
    }

    private void take(SharedConfiguration.Published cluster, InForce now) {
        try {
            InForce taken = read(cluster.content(), now.file(), "the cluster's configuration (version " + cluster.version() + ")",
                    "cluster.xml", cluster.changedBy());
            ConfigurationChanges changes = ConfigurationChanges.between(now.outline(), taken.outline());
            inForce = taken;
            LOG.info(() -> "Courier routing: took the cluster's configuration, version " + now.version() + " -> "
                    + taken.version() + " (put in force by " + cluster.changedBy() + " on node " + cluster.changedOn()
                    + "): " + changes.summary());
        } catch (InvalidConfigurationException e) {
            refusedVersion = cluster.version();
            LOG.warning(() -> "Courier routing: the cluster's configuration (version " + cluster.version()
                    + ") cannot be put in force on this node, version " + now.version() + " stays: "
                    + String.join(" | ", e.errors()));
        }
    }

    /** The configuration in force, its version and since when. */
    public InForce inForce() {
        return inForce;
    }

    /**
     * Reads the configuration file again and, if it is valid whole, puts it in force at once;
     * otherwise changes nothing.
     *
     * @param by who asks (an operator's name), for the log and {@link InForce#by()}
     * @return the version read, the one it replaced and what changed (none when the file is the one in force)
     * @throws InvalidConfigurationException if the file cannot be read or breaks a rule; nothing changed
     */
    public Reading reload(String by) {
        synchronized (reloading) {
            InForce before = inForce;
            InForce read = read(before.file(), by);
            ConfigurationChanges changes = ConfigurationChanges.between(before.outline(), read.outline());
            if (read.version().equals(before.version())) {
                return new Reading(read.version(), before.version(), changes);
            }
            if (shared != null) {
                shared.publish(read.version(), read.content(), by); // the other nodes take it at their next heartbeat
                shared.inForceHere(read.version());
            }
            inForce = read;
            LOG.info(() -> "Courier routing reloaded by " + by + " from " + read.file() + ": version " + before.version()
                    + " -> " + read.version() + ": " + changes.summary());
            return new Reading(read.version(), before.version(), changes);
        }
    }

    /**
     * A dry run: checks a configuration as a reload would (the file, or {@code content} if given)
     * and says what it would change, without putting it in force.
     *
     * @throws InvalidConfigurationException if it cannot be read or breaks a rule
     */
    public Reading check(byte[] content) {
        InForce now = inForce;
        InForce read = content == null ? read(now.file(), "check")
                : read(content, now.file(), "submitted file", "submitted.xml", "check");
        return new Reading(read.version(), now.version(), ConfigurationChanges.between(now.outline(), read.outline()));
    }

    private InForce read(Path file, String by) {
        if (Files.isDirectory(file)) {
            throw ConfigurationBinding.unreadable(file, fileName(file), "it is a directory, not a file", null);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw ConfigurationBinding.unreadable(file, fileName(file), ConfigurationBinding.describe(e), e);
        }
        return read(content, file, file.toString(), fileName(file), by);
    }

    private InForce read(byte[] content, Path file, String source, String fileName, String by) {
        ConfigurationBinding.Outlined read = ConfigurationBinding.outlined(new ByteArrayInputStream(content), source, fileName);
        checkIdentities(read.configuration(), source);
        checkJmsFactories(read.configuration(), source);
        return new InForce(read.configuration(), read.outline(), version(content), Instant.now(), by, file, content);
    }

    static String version(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, VERSION_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static String fileName(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    /**
     * Refuses a configuration whose receivers (or SFTP channels) ask for credentials or TLS settings
     * that the server's Elytron does not have: better a refusal that says so than deliveries that all fail.
     */
    private void checkIdentities(RoutingConfiguration configuration, String source) {
        List<String> missing = new ArrayList<>();
        List<ReceiverEndpoint> endpoints = new ArrayList<>(configuration.receivers());
        configuration.sftpChannels().forEach(channel -> endpoints.add(channel.endpoint()));
        for (ReceiverEndpoint receiver : endpoints) {
            if (receiver.connection().usesElytron()) {
                try {
                    identities.of(receiver);
                } catch (ReceiverIdentities.IdentityMissing e) {
                    missing.add(e.getMessage());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("Courier configuration " + source
                    + " names credentials the server does not have", missing);
        }
    }

    /**
     * Refuses a configuration whose JMS receivers or channels name a connection factory WildFly does
     * not have ({@link JmsDestination}): every delivery to them would be refused, nothing taken from them.
     */
    private static void checkJmsFactories(RoutingConfiguration configuration, String source) {
        Map<String, JmsDestination> destinations = new LinkedHashMap<>();
        configuration.receivers().stream().filter(receiver -> receiver.protocol() == ReceiverProtocol.JMS)
                .forEach(receiver -> destinations.put("receiver \"" + receiver.name() + "\"", JmsDestination.of(receiver.url())));
        configuration.jmsChannels().forEach(channel -> destinations.put("jms-channel \"" + channel.name() + "\"", channel.source()));
        List<String> missing = new ArrayList<>();
        destinations.forEach((who, destination) -> {
            try {
                destination.connectionFactory();
            } catch (NamingException e) {
                missing.add(who + ": " + e.getMessage());
            }
        });
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("Courier configuration " + source
                    + " names JMS connection factories the server does not have", missing);
        }
    }

    /** The aggregator declared with this name, if any. */
    public Optional<AggregatorDefinition> aggregator(String name) {
        return inForce.configuration().aggregator(name);
    }

    /** The inbound SAP RM channel with this name, if any. */
    public Optional<SapRmChannel> sapRmChannel(String name) {
        return inForce.configuration().sapRmChannel(name);
    }

    /** The whole configuration. */
    public RoutingConfiguration configuration() {
        return inForce.configuration();
    }

    /**
     * The receivers a message of {@code interfaceName} from {@code sender} goes to; see
     * {@link RoutingConfiguration#receiversFor(String, String)}.
     */
    public Optional<List<ReceiverEndpoint>> receiversFor(String sender, String interfaceName) {
        return inForce.configuration().receiversFor(sender, interfaceName);
    }

    /** The route a message of this sender and interface takes, if any (see {@link #receiversFor}). */
    public Optional<Route> routeFor(String sender, String interfaceName) {
        return inForce.configuration().routeFor(sender, interfaceName);
    }

    /** How a message of this sender and interface without an id gets one from its payload, if its route says so. */
    public Optional<PayloadIdentity> messageIdentityFor(String sender, String interfaceName) {
        return inForce.configuration().messageIdentityFor(sender, interfaceName);
    }

    /** The receiver declared with {@code name}, if any. */
    public Optional<ReceiverEndpoint> receiver(String name) {
        return inForce.configuration().receiver(name);
    }

    /** The largest message payload Courier accepts, in bytes. */
    public long maxPayloadBytes() {
        return inForce.configuration().maxPayloadBytes();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
