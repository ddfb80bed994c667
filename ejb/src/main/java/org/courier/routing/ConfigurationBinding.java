package org.courier.routing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.courier.content.ItemSplit;
import org.courier.idmapping.IdFormat;
import org.courier.idmapping.IdMappingRule;
import org.courier.idmapping.PayloadIdentity;
import org.courier.routing.ConfigurationXml.Located;

/**
 * A configuration file read through its schema ({@link ConfigurationSchema}), then what no
 * schema says, then made into a {@link RoutingConfiguration}. What is checked here: attributes
 * that go together (in-doubt and status-url only when idempotent="false", token-url with
 * authentication="oauth2", id-mapping with an id-format, protocol with its id-format, xpath or
 * from on a {@code <message-id>}), elements that may appear once where the order is free
 * ({@code <limits>}, a route's {@code <split>} and {@code <aggregate>}), a route's (receiver,
 * branch) pairs, that XPaths compile and their prefixes are declared, that every
 * {@code <to>} and {@code <aggregate>} names a declared receiver or aggregator, that an
 * aggregator's released messages have a route that does not aggregate again, and that an
 * sap-rm-channel's sender and interface have a route. All findings of a file are reported
 * together, in line order; a file with any is refused as a whole.
 */
final class ConfigurationBinding {

    static final long DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576L;
    static final long DEFAULT_TIMEOUT_SECONDS = 30;
    /** How often an SFTP channel looks at its directory, unless it says. */
    static final long DEFAULT_POLL_SECONDS = 10;
    private static final Pattern XPATH_PREFIX = Pattern.compile("(?<![\\w.:-])([A-Za-z_][\\w.-]*):(?!:)");

    private final String source;
    private final String fileName;
    private final ConfigurationErrors errors;

    private ConfigurationBinding(String source, String fileName) {
        this.source = source;
        this.fileName = fileName;
        this.errors = new ConfigurationErrors(fileName);
    }

    static RoutingConfiguration parse(Path file) {
        Path absolute = file.toAbsolutePath();
        String fileName = absolute.getFileName() == null ? absolute.toString() : absolute.getFileName().toString();
        if (Files.isDirectory(absolute)) {
            throw unreadable(absolute, fileName, "it is a directory, not a file", null);
        }
        try (InputStream in = Files.newInputStream(absolute)) {
            return new ConfigurationBinding(absolute.toString(), fileName).read(in).configuration();
        } catch (IOException e) {
            throw unreadable(absolute, fileName, describe(e), e);
        }
    }

    static RoutingConfiguration parse(InputStream in, String displayName) {
        return outlined(in, displayName, displayName).configuration();
    }

    /** A configuration read, and its outline (what was declared, to compare with another: {@link ConfigurationChanges}). */
    record Outlined(RoutingConfiguration configuration, ConfigurationOutline outline) {
    }

    /**
     * Reads a configuration from {@code in} (not closed), errors naming it {@code fileName} and the
     * summary {@code source}.
     *
     * @throws InvalidConfigurationException if it cannot be read or breaks a rule
     */
    static Outlined outlined(InputStream in, String source, String fileName) {
        try {
            return new ConfigurationBinding(source, fileName).read(in);
        } catch (IOException e) {
            throw unreadable(source, fileName, describe(e), e);
        }
    }

    private Outlined read(InputStream in) throws IOException {
        ConfigurationXml.Courier document = ConfigurationSchema.get().read(in, errors);
        RoutingConfiguration configuration = document == null ? null : bind(document);
        if (!errors.isEmpty() || configuration == null) {
            throw new InvalidConfigurationException("Courier configuration " + source + " is invalid", errors.formatted());
        }
        return new Outlined(configuration, ConfigurationOutline.of(document));
    }

    // ---- the document

    private RoutingConfiguration bind(ConfigurationXml.Courier document) {
        long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        ConfigurationXml.Limits firstLimits = null;
        for (ConfigurationXml.Limits limits : document.limits) {
            if (firstLimits != null) {
                errors.add(limits.line, "limits: <limits> may appear only once (first at line " + firstLimits.line + ")");
                continue;
            }
            firstLimits = limits;
            String value = limits.valid("max-payload-bytes", limits.maxPayloadBytes);
            if (value != null) {
                maxPayloadBytes = number(value);
            }
        }
        Map<String, Integer> receiverLines = new HashMap<>();
        document.receivers.forEach(r -> receiverLines.putIfAbsent(r.name, r.line));
        Map<String, Integer> aggregatorLines = new HashMap<>();
        document.aggregators.forEach(a -> aggregatorLines.putIfAbsent(a.name, a.line));
        List<ReceiverEndpoint> receivers = new ArrayList<>();
        document.receivers.forEach(r -> receiver(r).ifPresent(receivers::add));
        List<Route> routes = new ArrayList<>();
        document.routes.forEach(r -> route(r, receiverLines, aggregatorLines).ifPresent(routes::add));
        List<AggregatorDefinition> aggregators = new ArrayList<>();
        document.aggregators.forEach(a -> aggregator(a).ifPresent(aggregators::add));
        checkAggregators(document, aggregators, routes);
        List<SapRmChannel> channels = new ArrayList<>();
        for (ConfigurationXml.SapRmChannel channel : document.channels) {
            if (channel.name == null || channel.sender == null || channel.interfaceName == null) {
                continue;
            }
            boolean routed = document.routes.stream().anyMatch(r -> channel.interfaceName.equals(r.interfaceName)
                    && (channel.sender.equals(r.sender) || Route.ANY_SENDER.equals(r.sender)));
            if (!routed) {
                errors.add(channel.line, "sap-rm-channel " + quote(channel.name) + ": no route for sender "
                        + quote(channel.sender) + " and interface " + quote(channel.interfaceName));
            }
            channels.add(new SapRmChannel(channel.name, channel.sender, channel.interfaceName));
        }
        List<SftpChannel> sftpChannels = new ArrayList<>();
        document.sftpChannels.forEach(c -> sftpChannel(c, document).ifPresent(sftpChannels::add));
        if (!errors.isEmpty()) {
            return null;
        }
        List<JmsChannel> jmsChannels = new ArrayList<>();
        document.jmsChannels.forEach(c -> jmsChannel(c, document).ifPresent(jmsChannels::add));
        return new RoutingConfiguration(maxPayloadBytes, receivers, routes, aggregators, channels, sftpChannels, jmsChannels);
    }

    // ---- SFTP channels

    /**
     * An inbound SFTP channel: its url is an SFTP directory, a route for its sender and interface
     * exists, and in-order channels have a queue id (and only they).
     */
    private Optional<SftpChannel> sftpChannel(ConfigurationXml.SftpChannel c, ConfigurationXml.Courier document) {
        String subject = subjectOf(c);
        int known = errors.size();
        boolean inOrder = channelOrder(subject, c, c.qualityOfService, c.queueId, c.sender, c.interfaceName, document);
        URI url = null;
        String value = c.valid("url", c.url);
        if (value != null) {
            url = sftpUrl(value.strip());
            if (url == null) {
                errors.add(c.line, subject + ": url " + quote(value) + " is not sftp://host[:port][/directory]");
            }
        }
        String poll = c.valid("poll-seconds", c.pollSeconds);
        String timeout = c.valid("timeout-seconds", c.timeoutSeconds);
        if (errors.size() > known || !c.invalid.isEmpty() || c.name == null || c.sender == null || c.interfaceName == null
                || url == null) {
            return Optional.empty();
        }
        return Optional.of(new SftpChannel(c.name, url, c.sender, c.interfaceName, inOrder, c.queueId,
                "modified".equals(c.orderBy) ? SftpChannel.OrderBy.MODIFIED : SftpChannel.OrderBy.NAME,
                Duration.ofSeconds(poll == null ? DEFAULT_POLL_SECONDS : number(poll)), !"delete".equals(c.after),
                Duration.ofSeconds(timeout == null ? DEFAULT_TIMEOUT_SECONDS : number(timeout))));
    }

    // ---- JMS channels

    /**
     * An inbound JMS channel: its url is {@code jms://factory/queue}, a route for its sender and
     * interface exists, in-order channels have a queue id (and only they), and its dead-letter
     * queue is not the queue it takes from.
     */
    private Optional<JmsChannel> jmsChannel(ConfigurationXml.JmsChannel c, ConfigurationXml.Courier document) {
        String subject = subjectOf(c);
        int known = errors.size();
        boolean inOrder = channelOrder(subject, c, c.qualityOfService, c.queueId, c.sender, c.interfaceName, document);
        JmsDestination source = null;
        String value = c.valid("url", c.url);
        if (value != null) {
            source = JmsDestination.of(value.strip()).orElse(null);
            if (source == null) {
                errors.add(c.line, subject + ": url " + quote(value) + " is not jms://factory/queue");
            }
        }
        String deadLetter = c.valid("dead-letter-queue", c.deadLetterQueue);
        if (source != null && deadLetter != null && deadLetter.strip().equals(source.queue())) {
            errors.add(c.line, subject + ": dead-letter-queue " + quote(deadLetter) + " is the queue it takes messages from");
        }
        if (errors.size() > known || !c.invalid.isEmpty() || c.name == null || c.sender == null || c.interfaceName == null
                || source == null) {
            return Optional.empty();
        }
        return Optional.of(new JmsChannel(c.name, source, c.sender, c.interfaceName, inOrder, c.queueId,
                deadLetter == null ? source.queue() + JmsChannel.DEAD_LETTER_SUFFIX : deadLetter.strip()));
    }

    /**
     * What an inbound channel's quality of service and queue id say, checked: in order needs a queue
     * id (and only it may have one), and a route for the channel's sender and interface must exist.
     */
    private boolean channelOrder(String subject, Located c, String qualityOfService, String queueId, String sender,
                                 String interfaceName, ConfigurationXml.Courier document) {
        boolean inOrder = "ExactlyOnceInOrder".equals(qualityOfService);
        if (inOrder && queueId == null) {
            errors.add(c.line, subject + ": quality-of-service \"ExactlyOnceInOrder\" needs queue-id (the queue its messages go into)");
        } else if (!inOrder && queueId != null && !c.invalid.contains("quality-of-service")) {
            errors.add(c.line, subject + ": queue-id applies only to quality-of-service=\"ExactlyOnceInOrder\"");
        }
        if (sender != null && interfaceName != null) {
            boolean routed = document.routes.stream().anyMatch(r -> interfaceName.equals(r.interfaceName)
                    && (sender.equals(r.sender) || Route.ANY_SENDER.equals(r.sender)));
            if (!routed) {
                errors.add(c.line, subject + ": no route for sender " + quote(sender) + " and interface " + quote(interfaceName));
            }
        }
        return inOrder;
    }

    /** An sftp URL with a host and nothing of a user, query or fragment, or null. */
    private static URI sftpUrl(String value) {
        try {
            URI url = new URI(value);
            return "sftp".equalsIgnoreCase(url.getScheme()) && !url.isOpaque() && url.getHost() != null
                    && url.getRawUserInfo() == null && url.getRawQuery() == null && url.getRawFragment() == null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    // ---- receivers

    private Optional<ReceiverEndpoint> receiver(ConfigurationXml.Receiver r) {
        String subject = r.name == null ? "receiver" : "receiver " + quote(r.name);
        int known = errors.size();
        boolean idempotent = "true".equals(r.idempotent);
        if (idempotent && (r.inDoubt != null || r.statusUrl != null)) {
            errors.add(r.line, subject + ": in-doubt and status-url apply only to a receiver with idempotent=\"false\"");
        }
        IdMappingRule idMapping = idMappingRule(subject, r);
        ReceiverProtocol protocol = protocol(subject, r, idMapping);
        ConnectionSettings connection = connectionSettings(subject, r);
        URI url = switch (protocol) {
            case SFTP -> sftpReceiver(subject, r, connection);
            case JMS -> jmsReceiver(subject, r, connection);
            default -> uri(r, "url", r.url);
        };
        URI statusUrl = uri(r, "status-url", r.statusUrl);
        String timeout = r.valid("timeout-seconds", r.timeoutSeconds);
        if (errors.size() > known || !r.invalid.isEmpty() || r.name == null || url == null) {
            return Optional.empty();
        }
        if (protocol == ReceiverProtocol.SFTP || protocol == ReceiverProtocol.JMS) {
            // SFTP: a repeat writes the same file again (SftpDeliveries); JMS: the send commits with the
            // delivery's record or not at all (JmsDeliveries), so there is never an attempt in doubt
            idempotent = true;
        }
        InDoubtPolicy inDoubt = "retry".equals(r.inDoubt) ? InDoubtPolicy.RETRY : InDoubtPolicy.HOLD;
        return Optional.of(new ReceiverEndpoint(r.name, url,
                Duration.ofSeconds(timeout == null ? DEFAULT_TIMEOUT_SECONDS : number(timeout)), idempotent, inDoubt,
                statusUrl, idMapping, protocol, connection));
    }

    /**
     * An SFTP receiver: its url is {@code sftp://host[:port][/directory]} (no user: the user and
     * password come from Elytron, so authentication="basic" is required), and the HTTP settings
     * (status-url, in-doubt, tls, proxy, oauth2) do not apply: it is idempotent by construction.
     */
    private URI sftpReceiver(String subject, ConfigurationXml.Receiver r, ConnectionSettings connection) {
        String valid = r.valid("url", r.url);
        if (valid == null) {
            return null;
        }
        URI url = sftpUrl(valid.strip());
        if (url == null) {
            errors.add(r.line, subject + ": protocol \"sftp\" needs a url sftp://host[:port][/directory] (no user, query"
                    + " or fragment: the user and password come from Elytron), not " + quote(valid));
            return null;
        }
        if (connection.authentication() != ConnectionSettings.Authentication.BASIC) {
            errors.add(r.line, subject + ": protocol \"sftp\" needs authentication=\"basic\" (the SFTP user and password,"
                    + " from the receiver's Elytron rule)");
        }
        if (r.statusUrl != null || r.inDoubt != null || r.tls != null || r.proxy != null) {
            errors.add(r.line, subject + ": status-url, in-doubt, tls and proxy do not apply to protocol \"sftp\" (a repeat"
                    + " writes the same file again: SFTP receivers are idempotent)");
        }
        return url;
    }

    /**
     * A JMS receiver: its url is {@code jms://factory/queue} ({@link JmsDestination}); the broker's
     * address and credentials are the connection factory's, in WildFly, so authentication and the
     * HTTP settings (status-url, in-doubt, tls, proxy) do not apply. Whether the factory exists is
     * checked when the configuration is put in force (RoutingTable).
     */
    private URI jmsReceiver(String subject, ConfigurationXml.Receiver r, ConnectionSettings connection) {
        String valid = r.valid("url", r.url);
        if (valid == null) {
            return null;
        }
        if (JmsDestination.of(valid.strip()).isEmpty()) {
            errors.add(r.line, subject + ": protocol \"jms\" needs a url jms://factory/queue (the queue's name on the"
                    + " broker, reached through WildFly's pooled connection factory java:/jms/factory), not " + quote(valid));
            return null;
        }
        if (connection.authentication() != ConnectionSettings.Authentication.NONE) {
            errors.add(r.line, subject + ": authentication does not apply to protocol \"jms\" (the broker's user and"
                    + " password are its connection factory's, in WildFly)");
        }
        if (r.statusUrl != null || r.inDoubt != null || r.tls != null || r.proxy != null) {
            errors.add(r.line, subject + ": status-url, in-doubt, tls and proxy do not apply to protocol \"jms\" (the send"
                    + " commits with the delivery or not at all: JMS receivers are never in doubt)");
        }
        return URI.create(valid.strip());
    }

    /** A URL the schema's pattern let through, checked as a URI: an absolute http(s) URL with a host. */
    private URI uri(Located element, String attribute, String value) {
        String valid = element.valid(attribute, value);
        if (valid == null) {
            return null;
        }
        Optional<URI> url = httpUrl(valid);
        if (url.isEmpty()) {
            errors.add(element.line, subjectOf(element) + ": " + attribute + " " + quote(valid)
                    + " is not an absolute http(s) URL" + (valid.strip().regionMatches(true, 0, "sftp:", 0, 5)
                    ? " (an sftp URL is for a receiver with protocol=\"sftp\")"
                    : valid.strip().regionMatches(true, 0, "jms:", 0, 4) ? " (a jms URL is for a receiver with protocol=\"jms\")" : ""));
        }
        return url.orElse(null);
    }

    private ConnectionSettings connectionSettings(String subject, ConfigurationXml.Receiver r) {
        String authenticationValue = r.authentication == null ? "none" : r.authentication;
        ConnectionSettings.Authentication authentication = switch (authenticationValue) {
            case "basic" -> ConnectionSettings.Authentication.BASIC;
            case "oauth2" -> ConnectionSettings.Authentication.OAUTH2;
            default -> ConnectionSettings.Authentication.NONE;
        };
        URI tokenUrl = null;
        if (authentication == ConnectionSettings.Authentication.OAUTH2) {
            if (r.tokenUrl == null) {
                errors.add(r.line, subject + ": authentication \"oauth2\" needs token-url (the OAuth 2.0 token endpoint)");
            } else {
                tokenUrl = uri(r, "token-url", r.tokenUrl);
            }
        } else if (r.tokenUrl != null || r.tokenScope != null) {
            if (!r.invalid.contains("authentication")) {
                errors.add(r.line, subject + ": token-url and token-scope apply only to a receiver with authentication=\"oauth2\"");
            }
        }
        ConnectionSettings.Tls tls = "elytron".equals(r.tls) ? ConnectionSettings.Tls.ELYTRON : ConnectionSettings.Tls.SERVER;
        URI proxy = null;
        String proxyValue = r.valid("proxy", r.proxy);
        if (proxyValue != null) {
            proxy = URI.create("http://" + URI.create(proxyValue.strip()).getRawAuthority());
        }
        String parallel = r.valid("parallel", r.parallel);
        String downAfter = r.valid("down-after", r.downAfter);
        int downAfterAttempts = downAfter == null ? 0
                : "never".equals(downAfter.strip()) ? ConnectionSettings.NEVER_DOWN : (int) number(downAfter);
        if (authentication == ConnectionSettings.Authentication.OAUTH2 && tokenUrl == null) {
            return ConnectionSettings.DEFAULTS; // the error is recorded
        }
        return new ConnectionSettings(authentication, tokenUrl, r.valid("token-scope", r.tokenScope), tls, proxy,
                parallel == null ? 0 : (int) number(parallel), downAfterAttempts);
    }

    /** id-format (none: the sender's ids), id-mapping (stored by default), id-expiration-days (30). */
    private IdMappingRule idMappingRule(String subject, ConfigurationXml.Receiver r) {
        if (r.idFormat == null) {
            if (r.idMapping != null || r.idExpirationDays != null) {
                errors.add(r.line, subject + ": id-mapping and id-expiration-days need an id-format");
            }
            return null;
        }
        String format = r.valid("id-format", r.idFormat);
        String mode = r.valid("id-mapping", r.idMapping == null ? "stored" : r.idMapping);
        String days = r.valid("id-expiration-days", r.idExpirationDays);
        if (format == null || mode == null || (r.idExpirationDays != null && days == null)) {
            return null;
        }
        try {
            return IdMappingRule.of(format, mode, days == null ? IdMappingRule.DEFAULT_EXPIRATION.toDays() : number(days));
        } catch (IllegalArgumentException e) {
            errors.add(r.line, subject + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * SAP RM and XI carry GUIDs as message ids: such a receiver needs id-format xi (or sap-rm for SAP
     * RM); an IDoc receiver needs IDoc transaction ids (idoc-tid).
     */
    private ReceiverProtocol protocol(String subject, ConfigurationXml.Receiver r, IdMappingRule idMapping) {
        ReceiverProtocol protocol = switch (r.protocol == null ? "plain" : r.protocol) {
            case "sap-rm" -> ReceiverProtocol.SAP_RM;
            case "xi" -> ReceiverProtocol.XI;
            case "idoc" -> ReceiverProtocol.IDOC;
            case "idoc-xml" -> ReceiverProtocol.IDOC_XML;
            case "sftp" -> ReceiverProtocol.SFTP;
            case "jms" -> ReceiverProtocol.JMS;
            default -> ReceiverProtocol.PLAIN;
        };
        if (r.invalid.contains("id-format")) {
            return protocol;
        }
        String format = idMapping == null ? null : idMapping.format().name();
        if (protocol == ReceiverProtocol.XI && !"xi".equals(format)) {
            errors.add(r.line, subject + ": protocol \"xi\" needs id-format=\"xi\" (XI message ids are GUIDs)");
        } else if (protocol == ReceiverProtocol.SAP_RM && !"xi".equals(format) && !"sap-rm".equals(format)) {
            errors.add(r.line, subject + ": protocol \"sap-rm\" needs id-format=\"sap-rm\" or \"xi\" (SAP RM message ids are GUIDs)");
        } else if (protocol.carriesIdocs() && !"idoc-tid".equals(format)) {
            errors.add(r.line, subject + ": protocol \"" + r.protocol + "\" needs id-format=\"idoc-tid\" (SAP recognises a resent"
                    + " IDoc by its 24-character transaction id)");
        }
        return protocol;
    }

    // ---- routes

    private Optional<Route> route(ConfigurationXml.Route r, Map<String, Integer> receiverLines,
                                  Map<String, Integer> aggregatorLines) {
        String subject = subjectOf(r);
        int known = errors.size();
        IdFormat senderIdFormat = null;
        String format = r.valid("message-id-format", r.messageIdFormat);
        if (format != null) {
            try {
                senderIdFormat = IdFormat.parse(format);
            } catch (IllegalArgumentException e) {
                errors.add(r.line, subject + ": message-id-format: " + e.getMessage());
            }
        }
        if (r.targets.isEmpty() && r.aggregates.isEmpty()) {
            errors.add(r.line, subject + ": no <to receiver=\"...\"/> and no <aggregate aggregator=\"...\"/>; a route needs one");
        }
        Map<Route.Target, Integer> targets = new LinkedHashMap<>();
        List<String> referenced = new ArrayList<>();
        for (ConfigurationXml.To to : r.targets) {
            if (to.receiver == null) {
                continue;
            }
            String branch = to.branch == null ? "" : to.branch;
            Integer first = targets.putIfAbsent(new Route.Target(to.receiver, branch), to.line);
            if (first != null) {
                errors.add(to.line, subject + ": receiver " + quote(to.receiver) + (branch.isEmpty() ? "" : " branch " + quote(branch))
                        + " is listed more than once (first at line " + first + ")"
                        + (branch.isEmpty() ? "; to give it several copies, name a branch for each" : ""));
            } else if (!referenced.contains(to.receiver)) {
                referenced.add(to.receiver);
                if (!receiverLines.containsKey(to.receiver)) {
                    errors.add(to.line, subject + ": receiver " + quote(to.receiver)
                            + " is not declared (no <receiver name=" + quote(to.receiver) + " .../>)");
                }
            }
        }
        ItemSplit split = split(subject, r.splits);
        String aggregator = null;
        for (ConfigurationXml.Aggregate aggregate : r.aggregates) {
            if (aggregator != null) {
                errors.add(aggregate.line, subject + ", <aggregate>: at most one <aggregate> per route (first at line "
                        + r.aggregates.get(0).line + ")");
            } else if (aggregate.aggregator != null) {
                aggregator = aggregate.aggregator;
                if (!aggregatorLines.containsKey(aggregator)) {
                    errors.add(aggregate.line, subject + ": aggregator " + quote(aggregator)
                            + " is not declared (no <aggregator name=" + quote(aggregator) + " .../>)");
                }
            }
        }
        PayloadIdentity identity = messageIdentity(subject, r.messageIds);
        if (errors.size() > known || !r.invalid.isEmpty() || r.sender == null || r.interfaceName == null) {
            return Optional.empty();
        }
        CallMode callMode = "idempotent".equals(r.call) ? CallMode.IDEMPOTENT : CallMode.BEST_EFFORT;
        return Optional.of(new Route(r.sender, r.interfaceName, new ArrayList<>(targets.keySet()), identity, split,
                senderIdFormat, callMode, aggregator));
    }

    /** {@code <split xpath="..." item-key="..."/>}: at most one per route; its XPaths compile with the prefixes in scope. */
    private ItemSplit split(String routeSubject, List<ConfigurationXml.Split> splits) {
        ItemSplit split = null;
        String subject = routeSubject + ", <split>";
        for (ConfigurationXml.Split s : splits) {
            if (s != splits.get(0)) {
                errors.add(s.line, subject + ": at most one <split> per route (first at line " + splits.get(0).line + ")");
                continue;
            }
            if (s.xpath == null || !s.invalid.isEmpty()) {
                continue;
            }
            Map<String, String> namespaces = new HashMap<>();
            declaredPrefixes(s, subject, s.xpath, namespaces);
            if (s.itemKey != null) {
                declaredPrefixes(s, subject, s.itemKey, namespaces);
            }
            try {
                split = new ItemSplit(s.xpath, s.itemKey, namespaces);
            } catch (IllegalArgumentException e) {
                errors.add(s.line, subject + ": " + e.getMessage());
            }
        }
        return split;
    }

    /**
     * {@code <message-id xpath="..."/>} (one or more: their values, joined by /, form the id) or
     * {@code <message-id from="payload-hash"/>} (alone): the id of a message sent without one.
     */
    private PayloadIdentity messageIdentity(String routeSubject, List<ConfigurationXml.MessageId> elements) {
        List<String> xpaths = new ArrayList<>();
        Map<String, String> namespaces = new HashMap<>();
        boolean fromHash = false;
        String subject = routeSubject + ", <message-id>";
        for (ConfigurationXml.MessageId id : elements) {
            if ((id.xpath == null) == (id.from == null)) {
                errors.add(id.line, subject + ": give either xpath=\"...\" or from=\"payload-hash\"");
            } else if (id.from != null) {
                fromHash = true;
            } else if (id.valid("xpath", id.xpath) != null) {
                xpaths.add(id.xpath);
                declaredPrefixes(id, subject, id.xpath, namespaces);
            }
        }
        if (elements.isEmpty()) {
            return null;
        }
        int line = elements.get(0).line;
        if (fromHash && !xpaths.isEmpty()) {
            errors.add(line, routeSubject + ": a message id comes from XPath values or from the payload hash, not both");
            return null;
        }
        if (fromHash) {
            return new PayloadIdentity.CanonicalHash();
        }
        if (xpaths.isEmpty()) {
            return null;
        }
        try {
            return new PayloadIdentity.XPaths(xpaths, namespaces);
        } catch (IllegalArgumentException e) {
            errors.add(line, routeSubject + ": " + e.getMessage());
            return null;
        }
    }

    // ---- aggregators

    private Optional<AggregatorDefinition> aggregator(ConfigurationXml.Aggregator a) {
        String subject = subjectOf(a);
        int known = errors.size();
        if (a.completeCount == null && a.timeoutSeconds == null) {
            errors.add(a.line, subject + ": give complete-count, timeout-seconds or both: when is an aggregate complete?");
        }
        PayloadIdentity.XPaths correlation = null;
        String xpath = a.valid("correlation", a.correlation);
        if (xpath != null) {
            Map<String, String> namespaces = new HashMap<>();
            int before = errors.size();
            declaredPrefixes(a, subject, xpath, namespaces);
            if (errors.size() == before) {
                try {
                    correlation = new PayloadIdentity.XPaths(List.of(xpath), namespaces);
                } catch (IllegalArgumentException e) {
                    errors.add(a.line, subject + ": correlation: " + e.getMessage());
                }
            }
        }
        if (errors.size() > known || !a.invalid.isEmpty() || a.name == null || a.interfaceName == null || correlation == null) {
            return Optional.empty();
        }
        String timeout = a.timeoutSeconds;
        return Optional.of(new AggregatorDefinition(a.name, a.interfaceName, correlation,
                a.completeCount == null ? 0 : (int) number(a.completeCount),
                timeout == null ? null : Duration.ofSeconds(number(timeout))));
    }

    /** An aggregator's released messages need a route (for its name as sender, or *) that delivers them without aggregating again. */
    private void checkAggregators(ConfigurationXml.Courier document, List<AggregatorDefinition> aggregators, List<Route> routes) {
        for (AggregatorDefinition aggregator : aggregators) {
            Optional<Route> route = routes.stream()
                    .filter(r -> r.interfaceName().equals(aggregator.interfaceName()) && r.sender().equals(aggregator.name()))
                    .findFirst()
                    .or(() -> routes.stream().filter(r -> r.interfaceName().equals(aggregator.interfaceName()) && r.anySender())
                            .findFirst());
            int line = document.aggregators.stream().filter(a -> aggregator.name().equals(a.name)).findFirst()
                    .map(a -> a.line).orElse(0);
            if (route.isEmpty()) {
                errors.add(line, "aggregator " + quote(aggregator.name()) + ": no route delivers what it releases (a <route sender="
                        + quote(aggregator.name()) + " interface=" + quote(aggregator.interfaceName()) + "> is needed)");
            } else if (route.get().aggregator() != null) {
                errors.add(line, "aggregator " + quote(aggregator.name()) + ": the route of what it releases aggregates again;"
                        + " an aggregate goes to receivers");
            }
        }
    }

    // ---- helpers

    /** Binds the prefixes an XPath uses to the namespaces in scope at the element; an error for one that is not. */
    private void declaredPrefixes(Located element, String subject, String xpath, Map<String, String> namespaces) {
        for (String prefix : XPATH_PREFIX.matcher(xpath).results().map(r -> r.group(1)).distinct().toList()) {
            String uri = element.namespaces.get(prefix);
            if (uri == null || uri.isEmpty()) {
                errors.add(element.line, subject + ": prefix " + quote(prefix) + " of the XPath is not declared");
            } else {
                namespaces.put(prefix, uri);
            }
        }
    }

    private static String subjectOf(Located element) {
        if (element instanceof ConfigurationXml.Receiver r) {
            return r.name == null ? "receiver" : "receiver " + quote(r.name);
        }
        if (element instanceof ConfigurationXml.SftpChannel c) {
            return c.name == null ? "sftp-channel" : "sftp-channel " + quote(c.name);
        }
        if (element instanceof ConfigurationXml.JmsChannel c) {
            return c.name == null ? "jms-channel" : "jms-channel " + quote(c.name);
        }
        if (element instanceof ConfigurationXml.Aggregator a) {
            return a.name == null ? "aggregator" : "aggregator " + quote(a.name);
        }
        if (element instanceof ConfigurationXml.Route r) {
            StringBuilder subject = new StringBuilder("route");
            if (r.sender != null) {
                subject.append(" sender=").append(quote(r.sender));
            }
            if (r.interfaceName != null) {
                subject.append(" interface=").append(quote(r.interfaceName));
            }
            return subject.toString();
        }
        return element.getClass().getSimpleName();
    }

    /** A whole number the schema has checked (its lexical form may carry a sign or surrounding blanks). */
    private static long number(String value) {
        return Long.parseLong(value.strip());
    }

    static Optional<URI> httpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && !uri.isOpaque() && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static String quote(String value) {
        return "\"" + value + "\"";
    }

    static InvalidConfigurationException unreadable(Object source, String fileName, String problem, Throwable cause) {
        return new InvalidConfigurationException("Courier configuration " + source + " cannot be read",
                List.of(fileName + ": " + problem), cause);
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "the file does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
