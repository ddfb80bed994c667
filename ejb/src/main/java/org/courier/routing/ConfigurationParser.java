package org.courier.routing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.courier.content.ItemSplit;
import org.courier.idmapping.IdFormat;
import org.courier.idmapping.IdMappingRule;
import org.courier.idmapping.PayloadIdentity;
import javax.xml.stream.XMLStreamException;

/**
 * Reads a routing configuration file with StAX and checks every rule of the format,
 * collecting all errors before failing. One instance reads one source.
 *
 * <p>The reader is hardened: DTDs and external entities are disabled, and a
 * {@code <!DOCTYPE>} is reported as an error without being processed. An error about an
 * element names the line its start tag begins on (for the root element, the line it ends on).
 */
final class ConfigurationParser extends ConfigurationReader {

    static final long DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576L;
    static final long LARGEST_MAX_PAYLOAD_BYTES = 67_108_864L;
    static final long DEFAULT_TIMEOUT_SECONDS = 30;
    static final long LARGEST_TIMEOUT_SECONDS = 3600;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,60}");
    private static final String NAME_RULE = "1-60 characters of A-Z a-z 0-9 . _ -";
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9._/:-]{1,120}");
    private static final String INTERFACE_RULE = "1-120 characters of A-Z a-z 0-9 . _ - / :";

    private static final List<String> NONE = List.of();
    private static final List<String> LIMITS_ATTRIBUTES = List.of("max-payload-bytes");
    private static final List<String> RECEIVER_REQUIRED = List.of("name", "url");
    /** RFC 6749 3.3: scope tokens of %x21 / %x23-5B / %x5D-7E, separated by single spaces. */
    private static final Pattern TOKEN_SCOPE =
            Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");
    private static final List<String> RECEIVER_ATTRIBUTES = List.of("name", "url", "timeout-seconds", "idempotent", "in-doubt",
            "status-url", "id-format", "id-mapping", "id-expiration-days", "protocol", "authentication", "token-url", "token-scope",
            "tls", "proxy", "parallel", "down-after");
    /** The most deliveries to one receiver at once that a configuration may ask for. */
    static final int LARGEST_PARALLEL = 256;
    static final int LARGEST_DOWN_AFTER = 1000;
    private static final List<String> CHANNEL_ATTRIBUTES = List.of("name", "sender", "interface");
    static final long DEFAULT_ID_EXPIRATION_DAYS = IdMappingRule.DEFAULT_EXPIRATION.toDays();
    static final long LARGEST_ID_EXPIRATION_DAYS = 3650;
    private static final List<String> ROUTE_ATTRIBUTES = List.of("sender", "interface", "message-id-format", "call");
    private static final List<String> AGGREGATE_ATTRIBUTES = List.of("aggregator");
    private static final List<String> AGGREGATOR_ATTRIBUTES = List.of("name", "interface", "correlation", "complete-count",
            "timeout-seconds");
    private static final List<String> AGGREGATOR_REQUIRED = List.of("name", "interface", "correlation");
    static final long LARGEST_AGGREGATION_TIMEOUT_SECONDS = 604_800;
    private static final List<String> ROUTE_REQUIRED = List.of("sender", "interface");
    private static final List<String> TO_ATTRIBUTES = List.of("receiver", "branch");
    private static final List<String> TO_REQUIRED = List.of("receiver");
    private static final List<String> SPLIT_ATTRIBUTES = List.of("xpath", "item-key");
    private static final List<String> SPLIT_REQUIRED = List.of("xpath");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final String BRANCH_RULE = "1-40 characters of A-Z a-z 0-9 . _ -";
    private static final List<String> MESSAGE_ID_ATTRIBUTES = List.of("xpath", "from");

    /** A {@code <to>} element, checked against the declared receivers once the file is read. */
    private record Reference(int line, String routeSubject, String receiver) {
    }

    /** The {@code <to>}, {@code <message-id>} and {@code <split>} elements of one route. */
    private static final class Targets {
        private int elements;
        private final Map<Route.Target, Integer> lines = new LinkedHashMap<>();
        private final List<String> receivers = new ArrayList<>();
        private ItemSplit split;
        private int splitLine;
        private final List<String> idXPaths = new ArrayList<>();
        private final Map<String, String> idNamespaces = new HashMap<>();
        private boolean idFromHash;
        private int idLine;
        private String aggregator;
        private int aggregateLine;
    }

    private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private int limitsLine;
    private final Map<String, Integer> receiverLines = new HashMap<>();
    private final List<ReceiverEndpoint> receivers = new ArrayList<>();
    private final Map<List<String>, Integer> routeLines = new HashMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private final Map<String, Integer> aggregatorLines = new HashMap<>();
    private final List<AggregatorDefinition> aggregators = new ArrayList<>();
    private final List<Reference> aggregatorReferences = new ArrayList<>();
    private final Map<String, Integer> channelLines = new HashMap<>();
    private final List<SapRmChannel> channels = new ArrayList<>();

    private ConfigurationParser(String source, String fileName) {
        super(source, fileName);
    }

    static RoutingConfiguration parse(Path file) {
        Path absolute = file.toAbsolutePath();
        String fileName = absolute.getFileName() == null ? absolute.toString() : absolute.getFileName().toString();
        if (Files.isDirectory(absolute)) {
            throw unreadable(absolute, fileName, "it is a directory, not a file", null);
        }
        try (InputStream in = Files.newInputStream(absolute)) {
            return new ConfigurationParser(absolute.toString(), fileName).read(in);
        } catch (IOException e) {
            throw unreadable(absolute, fileName, describe(e), e);
        }
    }

    static RoutingConfiguration parse(InputStream in, String displayName) {
        return new ConfigurationParser(displayName, displayName).read(in);
    }

    private RoutingConfiguration read(InputStream in) {
        try {
            reader = newFactory().createXMLStreamReader(in);
            try {
                readDocument();
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        checkReferences();
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(summary("is invalid"), errors.formatted());
        }
        return new RoutingConfiguration(maxPayloadBytes, receivers, routes, aggregators, channels);
    }

    // ---- document structure

    private void readDocument() throws XMLStreamException {
        if (!advanceToRoot()) {
            return;
        }
        if (!NAMESPACE.equals(reader.getNamespaceURI()) || !"courier".equals(reader.getLocalName())) {
            errors.add(line(), "the root element must be <courier xmlns=\"" + NAMESPACE + "\">, found "
                    + describeElement());
            return;
        }
        checkAttributes(line(), "<courier>", attributes(), NONE, NONE);
        readChildren("courier", this::readTopLevelElement);
        while (reader.hasNext()) {
            reader.next(); // lets the parser reject anything malformed after the root element
        }
    }

    private void readTopLevelElement() throws XMLStreamException {
        switch (localNameInNamespace()) {
            case "limits" -> readLimits();
            case "receiver" -> readReceiver();
            case "route" -> readRoute();
            case "aggregator" -> readAggregator();
            case "sap-rm-channel" -> readSapRmChannel();
            default -> unknownElement("courier");
        }
    }

    // ---- elements

    private void readLimits() throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        checkAttributes(line, "limits", attributes, LIMITS_ATTRIBUTES, NONE);
        if (limitsLine > 0) {
            errors.add(line, "limits: <limits> may appear only once (first at line " + limitsLine + ")");
        } else {
            limitsLine = line;
        }
        maxPayloadBytes = number(line, "limits", "max-payload-bytes", attributes.get("max-payload-bytes"),
                LARGEST_MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES);
        readEmptyContent("limits");
    }

    private void readReceiver() throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String name = attributes.get("name");
        String subject = name == null ? "receiver" : "receiver " + quote(name);
        checkAttributes(line, subject, attributes, RECEIVER_ATTRIBUTES, RECEIVER_REQUIRED);
        checkReceiverName(line, name);
        Optional<URI> url = url(line, subject, "url", attributes.get("url"));
        long timeout = number(line, subject, "timeout-seconds", attributes.get("timeout-seconds"),
                LARGEST_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS);
        boolean idempotent = "true".equals(attributes.get("idempotent"));
        if (attributes.containsKey("idempotent") && !List.of("true", "false").contains(attributes.get("idempotent"))) {
            errors.add(line, subject + ": idempotent " + quote(attributes.get("idempotent")) + " is not true or false");
        }
        InDoubtPolicy inDoubt = inDoubtPolicy(line, subject, attributes.get("in-doubt"));
        Optional<URI> statusUrl = attributes.containsKey("status-url")
                ? url(line, subject, "status-url", attributes.get("status-url"))
                : Optional.empty();
        if (idempotent && (attributes.containsKey("in-doubt") || attributes.containsKey("status-url"))) {
            errors.add(line, subject + ": in-doubt and status-url apply only to a receiver with idempotent=\"false\"");
        }
        IdMappingRule idMapping = idMappingRule(line, subject, attributes);
        ReceiverProtocol protocol = protocol(line, subject, attributes.get("protocol"), idMapping);
        ConnectionSettings connection = connectionSettings(line, subject, attributes);
        if (name != null && url.isPresent()) {
            receivers.add(new ReceiverEndpoint(name, url.get(), Duration.ofSeconds(timeout), idempotent, inDoubt,
                    statusUrl.orElse(null), idMapping, protocol, connection));
        }
        readEmptyContent("receiver");
    }

    /**
     * authentication (none, basic, oauth2 with token-url and optional token-scope), tls (server,
     * elytron), proxy (http://host:port), parallel (1 .. {@value #LARGEST_PARALLEL}) and down-after.
     */
    private ConnectionSettings connectionSettings(int line, String subject, Map<String, String> attributes) {
        String authenticationValue = attributes.getOrDefault("authentication", "none");
        ConnectionSettings.Authentication authentication = switch (authenticationValue) {
            case "none" -> ConnectionSettings.Authentication.NONE;
            case "basic" -> ConnectionSettings.Authentication.BASIC;
            case "oauth2" -> ConnectionSettings.Authentication.OAUTH2;
            default -> {
                errors.add(line, subject + ": authentication " + quote(authenticationValue) + " is not none, basic or oauth2");
                yield ConnectionSettings.Authentication.NONE;
            }
        };
        URI tokenUrl = null;
        String tokenScope = attributes.get("token-scope");
        if (authentication == ConnectionSettings.Authentication.OAUTH2) {
            if (!attributes.containsKey("token-url")) {
                errors.add(line, subject + ": authentication \"oauth2\" needs token-url (the OAuth 2.0 token endpoint)");
            } else {
                tokenUrl = url(line, subject, "token-url", attributes.get("token-url")).orElse(null);
            }
            if (tokenScope != null && (tokenScope.isBlank() || !TOKEN_SCOPE.matcher(tokenScope).matches())) {
                errors.add(line, subject + ": token-scope " + quote(tokenScope)
                        + " is not a space-separated list of OAuth 2.0 scope tokens");
            }
        } else if (attributes.containsKey("token-url") || tokenScope != null) {
            errors.add(line, subject + ": token-url and token-scope apply only to a receiver with authentication=\"oauth2\"");
        }
        String tlsValue = attributes.getOrDefault("tls", "server");
        ConnectionSettings.Tls tls = switch (tlsValue) {
            case "server" -> ConnectionSettings.Tls.SERVER;
            case "elytron" -> ConnectionSettings.Tls.ELYTRON;
            default -> {
                errors.add(line, subject + ": tls " + quote(tlsValue) + " is not server or elytron");
                yield ConnectionSettings.Tls.SERVER;
            }
        };
        URI proxy = attributes.containsKey("proxy") ? proxy(line, subject, attributes.get("proxy")) : null;
        int parallel = attributes.containsKey("parallel")
                ? (int) number(line, subject, "parallel", attributes.get("parallel"), LARGEST_PARALLEL, 0)
                : 0;
        int downAfter = downAfter(line, subject, attributes.get("down-after"));
        if (authentication == ConnectionSettings.Authentication.OAUTH2 && tokenUrl == null) {
            return ConnectionSettings.DEFAULTS; // the error is recorded
        }
        return new ConnectionSettings(authentication, tokenUrl, tokenScope, tls, proxy, parallel, downAfter);
    }

    /** down-after: 1 .. {@value #LARGEST_DOWN_AFTER} failed attempts in a row, or "never"; absent: the server's default (0). */
    private int downAfter(int line, String subject, String value) {
        if (value == null) {
            return 0;
        }
        if ("never".equals(value)) {
            return ConnectionSettings.NEVER_DOWN;
        }
        OptionalLong number = wholeNumber(value, LARGEST_DOWN_AFTER);
        if (number.isEmpty()) {
            errors.add(line, subject + ": down-after " + quote(value) + " is not a whole number from 1 to "
                    + LARGEST_DOWN_AFTER + " (failed attempts in a row) or \"never\"");
        }
        return (int) number.orElse(0);
    }

    /** An HTTP proxy: http://host:port, nothing else (no path, no user in the URL). */
    private URI proxy(int line, String subject, String value) {
        Optional<URI> url = httpUrl(value);
        if (url.isEmpty() || !"http".equals(url.get().getScheme()) || url.get().getPort() < 0
                || url.get().getRawUserInfo() != null || !(url.get().getRawPath() == null || url.get().getRawPath().isEmpty()
                || "/".equals(url.get().getRawPath())) || url.get().getRawQuery() != null) {
            errors.add(line, subject + ": proxy " + quote(value) + " is not http://host:port (an HTTP proxy; https receivers"
                    + " are reached through it with CONNECT)");
            return null;
        }
        return URI.create("http://" + url.get().getRawAuthority());
    }

    /**
     * protocol: plain (default), sap-rm or xi. SAP RM and XI carry GUIDs as message ids: such a
     * receiver needs id-format xi (or sap-rm for SAP RM), so every id it gets is one.
     */
    private ReceiverProtocol protocol(int line, String subject, String value, IdMappingRule idMapping) {
        ReceiverProtocol protocol = switch (value == null ? "plain" : value) {
            case "plain" -> ReceiverProtocol.PLAIN;
            case "sap-rm" -> ReceiverProtocol.SAP_RM;
            case "xi" -> ReceiverProtocol.XI;
            default -> {
                errors.add(line, subject + ": protocol " + quote(value) + " is not plain, sap-rm or xi");
                yield ReceiverProtocol.PLAIN;
            }
        };
        String format = idMapping == null ? null : idMapping.format().name();
        if (protocol == ReceiverProtocol.XI && !"xi".equals(format)) {
            errors.add(line, subject + ": protocol \"xi\" needs id-format=\"xi\" (XI message ids are GUIDs)");
        } else if (protocol == ReceiverProtocol.SAP_RM && !"xi".equals(format) && !"sap-rm".equals(format)) {
            errors.add(line, subject + ": protocol \"sap-rm\" needs id-format=\"sap-rm\" or \"xi\" (SAP RM message ids are GUIDs)");
        }
        return protocol;
    }

    /** A name that follows the name rule ({@code why} it must) and is declared once among {@code declared}. */
    private void checkUniqueName(int line, String subject, String name, Map<String, Integer> declared, String why) {
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(line, subject + ": name is not " + NAME_RULE + " (" + why + ")");
        } else if (name != null && declared.putIfAbsent(name, line) != null) {
            errors.add(line, subject + ": declared twice (first at line " + declared.get(name) + ")");
        }
    }

    /**
     * {@code <sap-rm-channel name sender interface/>}: the plain SOAP endpoint /courier/rm/name,
     * whose messages come from that sender as that interface.
     */
    private void readSapRmChannel() throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String name = attributes.get("name");
        String subject = name == null ? "sap-rm-channel" : "sap-rm-channel " + quote(name);
        checkAttributes(line, subject, attributes, CHANNEL_ATTRIBUTES, CHANNEL_ATTRIBUTES);
        checkUniqueName(line, subject, name, channelLines, "it is the last segment of the channel's URL");
        String sender = attributes.get("sender");
        if (sender != null && !NAME.matcher(sender).matches()) {
            errors.add(line, subject + ": sender " + quote(sender) + " is not " + NAME_RULE);
        }
        checkInterface(line, subject, attributes.get("interface"));
        if (name != null && sender != null && attributes.get("interface") != null) {
            channels.add(new SapRmChannel(name, sender, attributes.get("interface")));
        }
        readEmptyContent("sap-rm-channel");
    }

    /** id-format (none: the sender's ids), id-mapping (stored by default), id-expiration-days (30). */
    private IdMappingRule idMappingRule(int line, String subject, Map<String, String> attributes) {
        String format = attributes.get("id-format");
        if (format == null) {
            if (attributes.containsKey("id-mapping") || attributes.containsKey("id-expiration-days")) {
                errors.add(line, subject + ": id-mapping and id-expiration-days need an id-format");
            }
            return null;
        }
        long days = number(line, subject, "id-expiration-days", attributes.get("id-expiration-days"),
                LARGEST_ID_EXPIRATION_DAYS, DEFAULT_ID_EXPIRATION_DAYS);
        try {
            return IdMappingRule.of(format, attributes.getOrDefault("id-mapping", "stored"), days);
        } catch (IllegalArgumentException e) {
            errors.add(line, subject + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * {@code <message-id xpath="..."/>} (one or more: their values, joined by /, form the id) or
     * {@code <message-id from="payload-hash"/>} (alone): the id of a message sent without one.
     * Prefixes in an XPath are those declared on the element or around it.
     */
    private void readMessageId(String routeSubject, Targets targets) throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String subject = routeSubject + ", <message-id>";
        checkAttributes(line, subject, attributes, MESSAGE_ID_ATTRIBUTES, NONE);
        targets.idLine = targets.idLine == 0 ? line : targets.idLine;
        String xpath = attributes.get("xpath");
        String from = attributes.get("from");
        if ((xpath == null) == (from == null)) {
            errors.add(line, subject + ": give either xpath=\"...\" or from=\"payload-hash\"");
        } else if (from != null) {
            if (!"payload-hash".equals(from)) {
                errors.add(line, subject + ": from " + quote(from) + " is not payload-hash");
            }
            targets.idFromHash = true;
        } else {
            targets.idXPaths.add(xpath);
            declaredPrefixes(line, subject, xpath, targets.idNamespaces);
        }
        readEmptyContent("message-id");
    }

    private PayloadIdentity messageIdentity(String subject, Targets targets) {
        if (targets.idFromHash && !targets.idXPaths.isEmpty()) {
            errors.add(targets.idLine, subject + ": a message id comes from XPath values or from the payload hash, not both");
            return null;
        }
        if (targets.idFromHash) {
            return new PayloadIdentity.CanonicalHash();
        }
        if (targets.idXPaths.isEmpty()) {
            return null;
        }
        try {
            return new PayloadIdentity.XPaths(targets.idXPaths, targets.idNamespaces);
        } catch (IllegalArgumentException e) {
            errors.add(targets.idLine, subject + ": " + e.getMessage());
            return null;
        }
    }

    private InDoubtPolicy inDoubtPolicy(int line, String subject, String value) {
        if (value == null) {
            return InDoubtPolicy.HOLD;
        }
        return switch (value) {
            case "hold" -> InDoubtPolicy.HOLD;
            case "retry" -> InDoubtPolicy.RETRY;
            default -> {
                errors.add(line, subject + ": in-doubt " + quote(value) + " is not hold or retry");
                yield InDoubtPolicy.HOLD;
            }
        };
    }

    private void checkReceiverName(int line, String name) {
        if (name == null) {
            return;
        }
        if (!NAME.matcher(name).matches()) {
            errors.add(line, "receiver: name " + quote(name) + " is not " + NAME_RULE);
        }
        Integer first = receiverLines.putIfAbsent(name, line);
        if (first != null) {
            errors.add(line, "receiver " + quote(name) + ": name is already declared at line " + first);
        }
    }

    private Optional<URI> url(int line, String subject, String attribute, String value) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<URI> url = httpUrl(value);
        if (url.isEmpty()) {
            errors.add(line, subject + ": " + attribute + " " + quote(value) + " is not an absolute http(s) URL");
        }
        return url;
    }

    private void readRoute() throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String sender = attributes.get("sender");
        String interfaceName = attributes.get("interface");
        String subject = routeSubject(sender, interfaceName);
        checkAttributes(line, subject, attributes, ROUTE_ATTRIBUTES, ROUTE_REQUIRED);
        IdFormat senderIdFormat = null;
        if (attributes.containsKey("message-id-format")) {
            try {
                senderIdFormat = IdFormat.parse(attributes.get("message-id-format"));
            } catch (IllegalArgumentException e) {
                errors.add(line, subject + ": message-id-format: " + e.getMessage());
            }
        }
        checkSender(line, subject, sender);
        checkInterface(line, subject, interfaceName);
        CallMode callMode = callMode(line, subject, attributes.get("call"));
        Targets targets = new Targets();
        readChildren("route", () -> readTarget(subject, targets));
        if (targets.elements == 0 && targets.aggregator == null) {
            errors.add(line, subject + ": no <to receiver=\"...\"/> and no <aggregate aggregator=\"...\"/>; a route needs one");
        }
        PayloadIdentity identity = messageIdentity(subject, targets);
        if (sender != null && interfaceName != null) {
            registerRoute(line, subject, sender, interfaceName);
            routes.add(new Route(sender, interfaceName, new ArrayList<>(targets.lines.keySet()), identity, targets.split,
                    senderIdFormat, callMode, targets.aggregator));
        }
    }

    private static String routeSubject(String sender, String interfaceName) {
        StringBuilder subject = new StringBuilder("route");
        if (sender != null) {
            subject.append(" sender=").append(quote(sender));
        }
        if (interfaceName != null) {
            subject.append(" interface=").append(quote(interfaceName));
        }
        return subject.toString();
    }

    private void checkSender(int line, String subject, String sender) {
        if (sender != null && !Route.ANY_SENDER.equals(sender) && !NAME.matcher(sender).matches()) {
            errors.add(line, subject + ": sender " + quote(sender) + " is not \"*\" or " + NAME_RULE);
        }
    }

    private void checkInterface(int line, String subject, String interfaceName) {
        if (interfaceName != null && !INTERFACE.matcher(interfaceName).matches()) {
            errors.add(line, subject + ": interface " + quote(interfaceName) + " is not " + INTERFACE_RULE);
        }
    }

    private void registerRoute(int line, String subject, String sender, String interfaceName) {
        Integer first = routeLines.putIfAbsent(List.of(sender, interfaceName), line);
        if (first != null) {
            errors.add(line, subject + ": this sender and interface already have a route at line " + first);
        }
    }

    private void readTarget(String routeSubject, Targets targets) throws XMLStreamException {
        String element = localNameInNamespace();
        if ("message-id".equals(element)) {
            readMessageId(routeSubject, targets);
            return;
        }
        if ("split".equals(element)) {
            readSplit(routeSubject, targets);
            return;
        }
        if ("aggregate".equals(element)) {
            readAggregate(routeSubject, targets);
            return;
        }
        if (!"to".equals(element)) {
            unknownElement("route");
            return;
        }
        int line = eventLine;
        Map<String, String> attributes = attributes();
        checkAttributes(line, routeSubject + ", <to>", attributes, TO_ATTRIBUTES, TO_REQUIRED);
        targets.elements++;
        String receiver = attributes.get("receiver");
        String branch = attributes.getOrDefault("branch", "");
        if (attributes.containsKey("branch") && !BRANCH.matcher(branch).matches()) {
            errors.add(line, routeSubject + ", <to>: branch " + quote(branch) + " is not " + BRANCH_RULE);
        }
        if (receiver != null) {
            addTarget(line, routeSubject, receiver, branch, targets);
        }
        readEmptyContent("to");
    }

    /** {@code <split xpath="..." item-key="..."/>}: each message is delivered as the items the XPath selects. */
    private void readSplit(String routeSubject, Targets targets) throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String subject = routeSubject + ", <split>";
        checkAttributes(line, subject, attributes, SPLIT_ATTRIBUTES, SPLIT_REQUIRED);
        if (targets.splitLine > 0) {
            errors.add(line, subject + ": at most one <split> per route (first at line " + targets.splitLine + ")");
        } else if (attributes.containsKey("xpath")) {
            targets.splitLine = line;
            Map<String, String> namespaces = new HashMap<>();
            declaredPrefixes(line, subject, attributes.get("xpath"), namespaces);
            if (attributes.containsKey("item-key")) {
                declaredPrefixes(line, subject, attributes.get("item-key"), namespaces);
            }
            try {
                targets.split = new ItemSplit(attributes.get("xpath"), attributes.get("item-key"), namespaces);
            } catch (IllegalArgumentException e) {
                errors.add(line, subject + ": " + e.getMessage());
            }
        }
        readEmptyContent("split");
    }

    private CallMode callMode(int line, String subject, String value) {
        if (value == null || "best-effort".equals(value)) {
            return CallMode.BEST_EFFORT;
        }
        if ("idempotent".equals(value)) {
            return CallMode.IDEMPOTENT;
        }
        errors.add(line, subject + ": call " + quote(value) + " is not best-effort or idempotent");
        return CallMode.BEST_EFFORT;
    }

    /** {@code <aggregate aggregator="..."/>}: the route's messages are collected by that aggregator. */
    private void readAggregate(String routeSubject, Targets targets) throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String subject = routeSubject + ", <aggregate>";
        checkAttributes(line, subject, attributes, AGGREGATE_ATTRIBUTES, AGGREGATE_ATTRIBUTES);
        if (targets.aggregateLine > 0) {
            errors.add(line, subject + ": at most one <aggregate> per route (first at line " + targets.aggregateLine + ")");
        } else if (attributes.containsKey("aggregator")) {
            targets.aggregateLine = line;
            targets.aggregator = attributes.get("aggregator");
            aggregatorReferences.add(new Reference(line, routeSubject, targets.aggregator));
        }
        readEmptyContent("aggregate");
    }

    /**
     * {@code <aggregator name interface correlation complete-count timeout-seconds/>}: collects
     * messages by correlation value and releases them as one message of its interface.
     */
    private void readAggregator() throws XMLStreamException {
        int line = eventLine;
        Map<String, String> attributes = attributes();
        String name = attributes.get("name");
        String subject = name == null ? "aggregator" : "aggregator " + quote(name);
        checkAttributes(line, subject, attributes, AGGREGATOR_ATTRIBUTES, AGGREGATOR_REQUIRED);
        checkUniqueName(line, subject, name, aggregatorLines, "it is the sender of the messages it releases");
        String interfaceName = attributes.get("interface");
        checkInterface(line, subject, interfaceName);
        long count = number(line, subject, "complete-count", attributes.get("complete-count"),
                AggregatorDefinition.MAX_MEMBERS, 0);
        long timeout = number(line, subject, "timeout-seconds", attributes.get("timeout-seconds"),
                LARGEST_AGGREGATION_TIMEOUT_SECONDS, 0);
        if (!attributes.containsKey("complete-count") && !attributes.containsKey("timeout-seconds")) {
            errors.add(line, subject + ": give complete-count, timeout-seconds or both: when is an aggregate complete?");
        }
        PayloadIdentity.XPaths correlation = null;
        if (attributes.containsKey("correlation")) {
            Map<String, String> namespaces = new HashMap<>();
            int known = errors.size();
            declaredPrefixes(line, subject, attributes.get("correlation"), namespaces);
            try {
                correlation = errors.size() > known ? null
                        : new PayloadIdentity.XPaths(List.of(attributes.get("correlation")), namespaces);
            } catch (IllegalArgumentException e) {
                errors.add(line, subject + ": correlation: " + e.getMessage());
            }
        }
        if (name != null && interfaceName != null && correlation != null && (count > 0 || timeout > 0)) {
            aggregators.add(new AggregatorDefinition(name, interfaceName, correlation, (int) count,
                    timeout > 0 ? Duration.ofSeconds(timeout) : null));
        }
        readEmptyContent("aggregator");
    }

    private void addTarget(int line, String routeSubject, String receiver, String branch, Targets targets) {
        Integer first = targets.lines.putIfAbsent(new Route.Target(receiver, branch), line);
        if (first != null) {
            errors.add(line, routeSubject + ": receiver " + quote(receiver) + (branch.isEmpty() ? "" : " branch " + quote(branch))
                    + " is listed more than once (first at line " + first + ")"
                    + (branch.isEmpty() ? "; to give it several copies, name a branch for each" : ""));
        } else if (!targets.receivers.contains(receiver)) {
            targets.receivers.add(receiver);
            references.add(new Reference(line, routeSubject, receiver));
        }
    }

    /**
     * A route's aggregator must be declared; an aggregator's released messages need a route (for
     * its name as sender, or *) that delivers them and does not aggregate them again.
     */
    private void checkAggregators() {
        for (Reference reference : aggregatorReferences) {
            if (!aggregatorLines.containsKey(reference.receiver())) {
                errors.add(reference.line(), reference.routeSubject() + ": aggregator " + quote(reference.receiver())
                        + " is not declared (no <aggregator name=" + quote(reference.receiver()) + " .../>)");
            }
        }
        for (AggregatorDefinition aggregator : aggregators) {
            Optional<Route> route = routes.stream()
                    .filter(r -> r.interfaceName().equals(aggregator.interfaceName()) && r.sender().equals(aggregator.name()))
                    .findFirst()
                    .or(() -> routes.stream().filter(r -> r.interfaceName().equals(aggregator.interfaceName()) && r.anySender())
                            .findFirst());
            int line = aggregatorLines.get(aggregator.name());
            if (route.isEmpty()) {
                errors.add(line, "aggregator " + quote(aggregator.name()) + ": no route delivers what it releases (a <route sender="
                        + quote(aggregator.name()) + " interface=" + quote(aggregator.interfaceName()) + "> is needed)");
            } else if (route.get().aggregator() != null) {
                errors.add(line, "aggregator " + quote(aggregator.name()) + ": the route of what it releases aggregates again;"
                        + " an aggregate goes to receivers");
            }
        }
    }

    private void checkReferences() {
        checkAggregators();
        for (SapRmChannel channel : channels) {
            boolean routed = routes.stream().anyMatch(r -> r.interfaceName().equals(channel.interfaceName())
                    && (r.sender().equals(channel.sender()) || r.anySender()));
            if (!routed) {
                errors.add(channelLines.get(channel.name()), "sap-rm-channel " + quote(channel.name()) + ": no route for sender "
                        + quote(channel.sender()) + " and interface " + quote(channel.interfaceName()));
            }
        }
        for (Reference reference : references) {
            if (!receiverLines.containsKey(reference.receiver())) {
                errors.add(reference.line(), reference.routeSubject() + ": receiver " + quote(reference.receiver())
                        + " is not declared (no <receiver name=" + quote(reference.receiver()) + " .../>)");
            }
        }
    }

}
