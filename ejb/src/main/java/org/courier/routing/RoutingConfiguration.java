package org.courier.routing;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.courier.idmapping.PayloadIdentity;

/**
 * Courier's routing configuration: the receivers messages can be delivered to, the routes
 * that decide which receivers get a message, and the largest payload Courier accepts.
 *
 * <p>Instances are immutable and consistent: every route refers only to declared receivers,
 * receiver names are unique and each (sender, interface) pair has at most one route. They
 * are obtained by parsing a configuration file, which is rejected as a whole with an
 * {@link InvalidConfigurationException} if it breaks any rule (see the package description).
 */
public final class RoutingConfiguration {

    private final long maxPayloadBytes;
    private final Map<String, ReceiverEndpoint> receivers;
    private final List<Route> routes;
    private final Map<RouteKey, List<ReceiverEndpoint>> destinations;
    private final Map<RouteKey, Route> routesByKey;
    private final Map<String, AggregatorDefinition> aggregators;
    private final Map<String, SapRmChannel> channels;
    private final List<SftpChannel> sftpChannels;
    private final List<JmsChannel> jmsChannels;

    private record RouteKey(String sender, String interfaceName) {
    }

    RoutingConfiguration(long maxPayloadBytes, List<ReceiverEndpoint> receivers, List<Route> routes) {
        this(maxPayloadBytes, receivers, routes, List.of(), List.of());
    }

    RoutingConfiguration(long maxPayloadBytes, List<ReceiverEndpoint> receivers, List<Route> routes,
                         List<AggregatorDefinition> aggregators, List<SapRmChannel> channels) {
        this(maxPayloadBytes, receivers, routes, aggregators, channels, List.of(), List.of());
    }

    RoutingConfiguration(long maxPayloadBytes, List<ReceiverEndpoint> receivers, List<Route> routes,
                         List<AggregatorDefinition> aggregators, List<SapRmChannel> channels, List<SftpChannel> sftpChannels,
                         List<JmsChannel> jmsChannels) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.sftpChannels = List.copyOf(sftpChannels);
        this.jmsChannels = List.copyOf(jmsChannels);
        this.channels = channels.stream().collect(Collectors.toUnmodifiableMap(SapRmChannel::name, c -> c));
        this.aggregators = aggregators.stream().collect(Collectors.toUnmodifiableMap(AggregatorDefinition::name, a -> a));
        this.receivers = byName(receivers);
        this.routes = List.copyOf(routes);
        this.destinations = resolve(this.routes, this.receivers);
        this.routesByKey = this.routes.stream().collect(Collectors.toUnmodifiableMap(
                route -> new RouteKey(route.sender(), route.interfaceName()), route -> route));
    }

    /**
     * Reads and validates the configuration file at {@code file}.
     *
     * @throws InvalidConfigurationException if the file is missing, unreadable or invalid;
     *                                       the message names the file and lists every error
     */
    public static RoutingConfiguration parse(Path file) {
        return ConfigurationBinding.parse(file);
    }

    /**
     * Reads and validates a configuration from {@code in}, which is not closed.
     *
     * @param displayName how errors name the source, e.g. {@code courier.xml}
     * @throws InvalidConfigurationException if the configuration is invalid
     */
    public static RoutingConfiguration parse(InputStream in, String displayName) {
        return ConfigurationBinding.parse(in, displayName);
    }

    /** The largest message payload Courier accepts, in bytes (default 1 MiB). */
    public long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** All declared receivers, in declaration order; unmodifiable. */
    public Collection<ReceiverEndpoint> receivers() {
        return receivers.values();
    }

    /** The receiver declared with {@code name}, if any. */
    public Optional<ReceiverEndpoint> receiver(String name) {
        return Optional.ofNullable(receivers.get(name));
    }

    /** The aggregator declared with {@code name}, if any. */
    public Optional<AggregatorDefinition> aggregator(String name) {
        return Optional.ofNullable(aggregators.get(name));
    }

    /** The inbound SAP RM channel with this name, if any. */
    public Optional<SapRmChannel> sapRmChannel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    /** The inbound SAP RM channels, by name; unmodifiable. */
    public Collection<SapRmChannel> sapRmChannels() {
        return channels.values();
    }

    /** The inbound SFTP channels, in declaration order; unmodifiable. */
    public List<SftpChannel> sftpChannels() {
        return sftpChannels;
    }

    /** The inbound JMS channels, in declaration order; unmodifiable. */
    public List<JmsChannel> jmsChannels() {
        return jmsChannels;
    }

    /** All declared aggregators; unmodifiable. */
    public Collection<AggregatorDefinition> aggregators() {
        return aggregators.values();
    }

    /** All routes, in declaration order; unmodifiable. */
    public List<Route> routes() {
        return routes;
    }

    /**
     * The receivers a message of {@code interfaceName} from {@code sender} is delivered to,
     * in route order. A route for exactly this sender wins over the {@code *} route of the
     * interface. Names are compared case-sensitively.
     *
     * @return the receivers, or an empty Optional if no route applies
     */
    public Optional<List<ReceiverEndpoint>> receiversFor(String sender, String interfaceName) {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(interfaceName, "interfaceName");
        return Optional.ofNullable(destinations.get(new RouteKey(sender, interfaceName)))
                .or(() -> Optional.ofNullable(destinations.get(new RouteKey(Route.ANY_SENDER, interfaceName))));
    }

    /**
     * How a message of {@code interfaceName} from {@code sender} without a message id gets one
     * from its payload, by the route that applies (as for {@link #receiversFor}); empty if
     * no route applies or the route requires message ids.
     */
    public Optional<PayloadIdentity> messageIdentityFor(String sender, String interfaceName) {
        return routeFor(sender, interfaceName).map(Route::messageIdentity);
    }

    /** The route a message of {@code interfaceName} from {@code sender} takes (as for {@link #receiversFor}). */
    public Optional<Route> routeFor(String sender, String interfaceName) {
        return Optional.ofNullable(routesByKey.get(new RouteKey(sender, interfaceName)))
                .or(() -> Optional.ofNullable(routesByKey.get(new RouteKey(Route.ANY_SENDER, interfaceName))));
    }

    @Override
    public String toString() {
        return "RoutingConfiguration[maxPayloadBytes=" + maxPayloadBytes
                + ", receivers=" + receivers.values() + ", routes=" + routes + "]";
    }

    private static Map<String, ReceiverEndpoint> byName(List<ReceiverEndpoint> receivers) {
        Map<String, ReceiverEndpoint> byName = new LinkedHashMap<>();
        for (ReceiverEndpoint receiver : receivers) {
            if (byName.putIfAbsent(receiver.name(), receiver) != null) {
                throw new IllegalArgumentException("Receiver " + receiver.name() + " is declared twice");
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    private static Map<RouteKey, List<ReceiverEndpoint>> resolve(List<Route> routes,
                                                                 Map<String, ReceiverEndpoint> receivers) {
        Map<RouteKey, List<ReceiverEndpoint>> destinations = new LinkedHashMap<>();
        for (Route route : routes) {
            List<ReceiverEndpoint> endpoints = route.receiverNames().stream()
                    .map(name -> Optional.ofNullable(receivers.get(name)).orElseThrow(
                            () -> new IllegalArgumentException(route + " refers to unknown receiver " + name)))
                    .toList();
            destinations.put(new RouteKey(route.sender(), route.interfaceName()), endpoints);
        }
        return Map.copyOf(destinations);
    }
}
