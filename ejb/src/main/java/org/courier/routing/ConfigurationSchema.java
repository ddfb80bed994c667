package org.courier.routing;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.UnmarshallerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.LexicalHandler;
import org.xml.sax.helpers.AttributesImpl;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * The configuration's schema, {@code courier-config-1.xsd} (namespace {@value #NAMESPACE}), and
 * the reading of a file through it: the JDK's parser (no DTDs, no external entities), the JDK's
 * schema validator, Jakarta XML Binding. The validator's findings are told in the words of the
 * file's own terms: {@code file:line: <subject>: <attribute> "value" is not <rule>}, where the rule
 * is the schema's ({@code r:rule} on each type) and the line is where the element's start tag
 * begins (for the root element, where it ends).
 *
 * <p>Two of the schema's rules are told before the validator sees them, so that one finding does
 * not hide the next: an element the schema does not allow where it stands (the validator stops
 * checking its parent's content after the first) is reported and left out, and so is text in an
 * element whose content is elements only. References between elements ({@code xs:keyref}) are
 * left to {@link ConfigurationBinding}, which names the referring element's line.
 */
final class ConfigurationSchema {

    static final String NAMESPACE = "urn:courier:config:1";
    /** The schema's file name: a resource next to this class, and in the repository's config/. */
    static final String FILE = "courier-config-1.xsd";
    private static final String XS = XMLConstants.W3C_XML_SCHEMA_NS_URI;
    private static final String RULES = "urn:courier:config:rules";
    private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;

    private static final Pattern ERROR_KEY = Pattern.compile("^(cvc-[a-zA-Z0-9.-]+):");
    private static final Pattern ATTRIBUTE_OF = Pattern.compile("of attribute '([^']+)' on element");
    private static final Pattern ATTRIBUTE = Pattern.compile("Attribute '([^']+)'");
    private static final Pattern CONSTRAINT = Pattern.compile("identity constraint \"([^\"]+)\"");
    /** The validator's reasons a value breaks its type, each followed by cvc-attribute.3, which names the attribute. */
    private static final Set<String> FACETS = Set.of("cvc-pattern-valid", "cvc-enumeration-valid", "cvc-minInclusive-valid",
            "cvc-maxInclusive-valid", "cvc-minLength-valid", "cvc-maxLength-valid", "cvc-length-valid", "cvc-datatype-valid.1.2.1",
            "cvc-datatype-valid.1.2.2", "cvc-datatype-valid.1.2.3", "cvc-type.3.1.3", "cvc-minExclusive-valid",
            "cvc-maxExclusive-valid", "cvc-totalDigits-valid", "cvc-fractionDigits-valid");

    private static final ConfigurationSchema INSTANCE = load();

    private final Schema schema;
    private final JAXBContext binding;
    /** Each element's allowed children (local names in {@value #NAMESPACE}); absent: an element with no children. */
    private final Map<String, Set<String>> children;
    /** "element@attribute" to the words of the attribute's type's rule. */
    private final Map<String, String> rules;

    private ConfigurationSchema(Schema schema, JAXBContext binding, Map<String, Set<String>> children, Map<String, String> rules) {
        this.schema = schema;
        this.binding = binding;
        this.children = children;
        this.rules = rules;
    }

    static ConfigurationSchema get() {
        return INSTANCE;
    }

    /** The schema file, as shipped in the deployment. */
    static URL resource() {
        URL url = ConfigurationSchema.class.getResource(FILE);
        if (url == null) {
            throw new IllegalStateException(FILE + " is missing next to " + ConfigurationSchema.class.getName());
        }
        return url;
    }

    private static ConfigurationSchema load() {
        URL url = resource();
        try {
            SchemaFactory factory = SchemaFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            Schema schema = factory.newSchema(url);
            Document xsd;
            try (InputStream in = url.openStream()) {
                DocumentBuilderFactory documents = DocumentBuilderFactory.newDefaultInstance();
                documents.setNamespaceAware(true);
                documents.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                documents.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                xsd = documents.newDocumentBuilder().parse(in);
            }
            JAXBContext binding = JAXBContext.newInstance(ConfigurationXml.Courier.class);
            return new ConfigurationSchema(schema, binding, childrenOf(xsd), rulesOf(xsd));
        } catch (SAXException | ParserConfigurationException | JAXBException e) {
            throw new IllegalStateException("the configuration schema " + url + " cannot be loaded: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For each top-level xs:element: the elements its content may hold (xs:element ref="c:x" anywhere in it). */
    private static Map<String, Set<String>> childrenOf(Document xsd) {
        Map<String, Set<String>> children = new HashMap<>();
        for (Element element : topLevel(xsd, "element")) {
            Set<String> names = new LinkedHashSet<>();
            NodeList refs = element.getElementsByTagNameNS(XS, "element");
            for (int i = 0; i < refs.getLength(); i++) {
                String ref = ((Element) refs.item(i)).getAttribute("ref");
                if (!ref.isEmpty()) {
                    names.add(ref.substring(ref.indexOf(':') + 1));
                }
            }
            children.put(element.getAttribute("name"), Set.copyOf(names));
        }
        return Map.copyOf(children);
    }

    /** For each attribute of each top-level xs:element: the r:rule of its type (named, or declared in place). */
    private static Map<String, String> rulesOf(Document xsd) {
        Map<String, String> typeRules = new HashMap<>();
        for (Element type : topLevel(xsd, "simpleType")) {
            typeRules.put(type.getAttribute("name"), type.getAttributeNS(RULES, "rule"));
        }
        Map<String, String> rules = new HashMap<>();
        for (Element element : topLevel(xsd, "element")) {
            NodeList attributes = element.getElementsByTagNameNS(XS, "attribute");
            for (int i = 0; i < attributes.getLength(); i++) {
                Element attribute = (Element) attributes.item(i);
                String type = attribute.getAttribute("type");
                String rule;
                if (!type.isEmpty()) {
                    rule = typeRules.get(type.substring(type.indexOf(':') + 1));
                } else {
                    NodeList local = attribute.getElementsByTagNameNS(XS, "simpleType");
                    rule = local.getLength() == 0 ? null : ((Element) local.item(0)).getAttributeNS(RULES, "rule");
                }
                if (rule != null && !rule.isEmpty()) {
                    rules.put(element.getAttribute("name") + "@" + attribute.getAttribute("name"), rule);
                }
            }
        }
        return Map.copyOf(rules);
    }

    private static List<Element> topLevel(Document xsd, String kind) {
        List<Element> found = new java.util.ArrayList<>();
        for (Node node = xsd.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && XS.equals(e.getNamespaceURI()) && kind.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** What reading a file gave: the bound document (absent if the file could not be read as XML) and every finding. */
    record Reading(ConfigurationXml.Courier document, ConfigurationErrors errors) {
    }

    /**
     * Reads {@code in} through the schema into its binding, recording every finding in
     * {@code errors}. Returns no document when the file is not well-formed XML or its root is not
     * Courier's; otherwise the document as far as it could be bound, errors or not.
     */
    ConfigurationXml.Courier read(InputStream in, ConfigurationErrors errors) throws IOException {
        Tracker tracker = new Tracker(errors);
        try {
            SAXParserFactory parsers = SAXParserFactory.newDefaultInstance();
            parsers.setNamespaceAware(true);
            parsers.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            parsers.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            parsers.setFeature("http://xml.org/sax/features/external-general-entities", false);
            parsers.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            XMLReader reader = parsers.newSAXParser().getXMLReader();
            ValidatorHandler validator = schema.newValidatorHandler();
            // The findings are read in the validator's own (English) words, whatever the server's language:
            // Locale.ROOT, for English would fall back to the JVM's default locale's messages (German ones
            // on a German server) and the attribute a finding names would not be found in them.
            try {
                validator.setProperty("http://apache.org/xml/properties/locale", Locale.ROOT);
            } catch (SAXException notThisJdks) {
                // a validator without the property speaks the JVM's language: findings then name no attribute
            }
            validator.setErrorHandler(tracker.validatorErrors());
            Unmarshaller unmarshaller = binding.createUnmarshaller();
            unmarshaller.setEventHandler(event -> true); // the schema has said what is wrong; bind what can be bound
            UnmarshallerHandler bound = unmarshaller.getUnmarshallerHandler();
            // the binding gets the file's attributes, not those the validator adds from the schema's defaults
            tracker.setContentHandler(new Both(validator, bound));
            tracker.setParent(reader);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", tracker);
            tracker.setErrorHandler(tracker.parserErrors());
            tracker.parse(new InputSource(in));
            if (tracker.malformed || !tracker.rootIsCourier) {
                return null;
            }
            ConfigurationXml.Courier document = (ConfigurationXml.Courier) bound.getResult();
            tracker.locate(document);
            return document;
        } catch (SAXParseException e) {
            if (!tracker.malformed) {
                tracker.malformed(e);
            }
            return null;
        } catch (SAXException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            // the parser gave up without saying where (Xerces' "Scanner State 24 not Recognized" for a
            // <!DOCTYPE in the content): the file is not well-formed where it stopped
            if (!tracker.malformed) {
                tracker.malformed(new SAXParseException(e.getMessage(), null, null, tracker.lastEventLine, 0));
            }
            return null;
        } catch (IllegalStateException e) {
            if (tracker.malformed || !tracker.rootIsCourier) {
                return null;
            }
            throw new IllegalStateException("the configuration could not be read through its schema: " + e, e);
        } catch (ParserConfigurationException | JAXBException e) {
            throw new IllegalStateException("the configuration's reader cannot be set up: " + e, e);
        }
    }

    /** Every event to two handlers: the validator and the binding. */
    private static final class Both implements ContentHandler {
        private final ContentHandler first;
        private final ContentHandler second;

        Both(ContentHandler first, ContentHandler second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            first.setDocumentLocator(locator);
            second.setDocumentLocator(locator);
        }

        @Override
        public void startDocument() throws SAXException {
            first.startDocument();
            second.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            first.endDocument();
            second.endDocument();
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            first.startPrefixMapping(prefix, uri);
            second.startPrefixMapping(prefix, uri);
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            first.endPrefixMapping(prefix);
            second.endPrefixMapping(prefix);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            first.startElement(uri, localName, qName, atts);
            second.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            first.endElement(uri, localName, qName);
            second.endElement(uri, localName, qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            first.characters(ch, start, length);
            second.characters(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            first.ignorableWhitespace(ch, start, length);
            second.ignorableWhitespace(ch, start, length);
        }

        @Override
        public void processingInstruction(String target, String data) throws SAXException {
            first.processingInstruction(target, data);
            second.processingInstruction(target, data);
        }

        @Override
        public void skippedEntity(String name) throws SAXException {
            first.skippedEntity(name);
            second.skippedEntity(name);
        }
    }

    /** Errors and fatal errors to one consumer; warnings ignored; a fatal error thrown on if {@code fatalEnds}. */
    private record Findings(java.util.function.Consumer<SAXParseException> finding, boolean fatalEnds) implements ErrorHandler {

        @Override
        public void warning(SAXParseException e) {
            // nothing the configuration's author must act on
        }

        @Override
        public void error(SAXParseException e) {
            finding.accept(e);
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            finding.accept(e);
            if (fatalEnds) {
                throw e;
            }
        }
    }

    /** An element being read: where it began, its attributes, its namespace prefixes in scope. */
    private record Open(String localName, int line, Map<String, String> attributes, Map<String, String> namespaces,
                        Set<String> invalid, Map<String, List<Open>> children) {

        /** How errors name the element: the words the configuration's reference uses for it. */
        String subject(Open parent) {
            return switch (localName) {
                case "courier" -> "<courier>";
                case "limits" -> "limits";
                case "receiver", "aggregator", "sap-rm-channel", "sftp-channel", "jms-channel" -> named(localName);
                case "route" -> routeSubject();
                default -> parent == null ? "<" + localName + ">" : parent.routeSubject() + ", <" + localName + ">";
            };
        }

        String named(String kind) {
            String name = attributes.get("name");
            return name == null ? kind : kind + " " + quote(name);
        }

        String routeSubject() {
            StringBuilder subject = new StringBuilder("route");
            if (attributes.containsKey("sender")) {
                subject.append(" sender=").append(quote(attributes.get("sender")));
            }
            if (attributes.containsKey("interface")) {
                subject.append(" interface=").append(quote(attributes.get("interface")));
            }
            return subject.toString();
        }
    }

    /**
     * Between the parser and the validator: keeps where each element began and what is in scope,
     * reports what the validator would report only once per parent (elements not allowed where
     * they stand, text in element-only content) and leaves it out, and turns the validator's
     * findings into the configuration's words.
     */
    private final class Tracker extends XMLFilterImpl implements LexicalHandler {

        private final ConfigurationErrors errors;
        private final Deque<Open> open = new ArrayDeque<>();
        private final Deque<Map<String, String>> scopes = new ArrayDeque<>();
        private final Map<String, String> pendingPrefixes = new LinkedHashMap<>();
        /** First line of each name or key, per identity constraint: for "first at line n". */
        private final Map<String, Map<List<String>, Integer>> firstLines = new HashMap<>();
        private Locator locator;
        private Open root;
        /** The line the last event ended on: where the next start tag begins. */
        private int lastEventLine = 1;
        private int skipping;
        private boolean rootSeen;
        boolean rootIsCourier;
        boolean malformed;
        private StringBuilder text;
        private int textLine;
        /** The element whose end is being validated (identity constraints are checked at an element's end). */
        private Open ending;

        Tracker(ConfigurationErrors errors) {
            this.errors = errors;
            scopes.push(Map.of("xml", XMLConstants.XML_NS_URI));
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        private int line() {
            return locator == null ? 0 : locator.getLineNumber();
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            pendingPrefixes.put(prefix, uri);
            if (skipping == 0 && rootIsCourier) {
                super.startPrefixMapping(prefix, uri);
            }
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            if (skipping == 0 && rootIsCourier && !open.isEmpty()) {
                super.endPrefixMapping(prefix);
            }
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            int begins = open.isEmpty() ? line() : lastEventLine;
            Map<String, String> scope = new HashMap<>(scopes.peek());
            scope.putAll(pendingPrefixes);
            pendingPrefixes.clear();
            scopes.push(scope);
            if (skipping > 0) {
                skipping++;
                lastEventLine = line();
                return;
            }
            flushText();
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < atts.getLength(); i++) {
                attributes.put(atts.getQName(i), atts.getValue(i));
            }
            if (!rootSeen) {
                rootSeen = true;
                rootIsCourier = NAMESPACE.equals(uri) && "courier".equals(localName);
                if (!rootIsCourier) {
                    errors.add(begins, "the root element must be <courier xmlns=\"" + NAMESPACE + "\">, found "
                            + describe(uri, localName));
                    skipping = 1;
                    lastEventLine = line();
                    return;
                }
                super.startDocument();
                scope.forEach((prefix, namespace) -> {
                    if (!"xml".equals(prefix)) {
                        try {
                            super.startPrefixMapping(prefix, namespace);
                        } catch (SAXException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            } else {
                Open parent = open.peek();
                Set<String> allowed = children.getOrDefault(parent.localName(), Set.of());
                if (!NAMESPACE.equals(uri) || !allowed.contains(localName)) {
                    errors.add(begins, "unknown element " + describe(uri, localName) + " in <" + parent.localName() + ">");
                    skipping = 1;
                    lastEventLine = line();
                    return;
                }
            }
            Open element = new Open(localName, begins, attributes, Map.copyOf(scope), new HashSet<>(), new HashMap<>());
            if (open.isEmpty()) {
                root = element;
            } else {
                open.peek().children().computeIfAbsent(localName, n -> new ArrayList<>()).add(element);
            }
            open.push(element);
            remember(element);
            super.startElement(uri, localName, qName, withoutSchemaHints(atts));
            lastEventLine = line();
        }

        /** xsi:schemaLocation and its kind are for editors and xmllint: the server validates against its own copy. */
        private Attributes withoutSchemaHints(Attributes atts) {
            AttributesImpl kept = new AttributesImpl(atts);
            for (int i = kept.getLength() - 1; i >= 0; i--) {
                if (XSI.equals(kept.getURI(i))) {
                    kept.removeAttribute(i);
                }
            }
            return kept;
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            scopes.pop();
            if (skipping > 0) {
                skipping--;
                lastEventLine = line();
                return;
            }
            flushText();
            ending = open.peek();
            super.endElement(uri, localName, qName);
            ending = null;
            open.pop();
            if (open.isEmpty()) {
                super.endDocument();
            }
            lastEventLine = line();
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (skipping == 0 && !open.isEmpty()) {
                String chunk = new String(ch, start, length);
                if (text == null && !chunk.isBlank()) {
                    text = new StringBuilder();
                    String leading = chunk.substring(0, chunk.indexOf(chunk.strip().charAt(0)));
                    textLine = lastEventLine + (int) leading.chars().filter(c -> c == '\n').count();
                }
                if (text != null) {
                    text.append(chunk);
                }
            }
            lastEventLine = line();
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            lastEventLine = line();
        }

        /** Text in Courier's elements, whose content is elements only: one finding per run of text, left out. */
        private void flushText() {
            if (text != null) {
                String shown = text.toString().strip();
                shown = shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
                errors.add(textLine, "unexpected text " + quote(shown) + " in <" + open.peek().localName() + ">");
                text = null;
            }
        }

        @Override
        public void processingInstruction(String target, String data) {
            lastEventLine = line();
        }

        @Override
        public void comment(char[] ch, int start, int length) {
            if (text == null) {
                lastEventLine = line();
            }
        }

        @Override
        public void startDocument() {
            // sent to the validator at the root element, once it is known to be Courier's
        }

        @Override
        public void endDocument() {
            // sent at the root element's end
        }

        @Override
        public void startDTD(String name, String publicId, String systemId) {
        }

        @Override
        public void endDTD() {
        }

        @Override
        public void startEntity(String name) {
        }

        @Override
        public void endEntity(String name) {
        }

        @Override
        public void startCDATA() {
        }

        @Override
        public void endCDATA() {
        }

        void malformed(SAXParseException e) {
            malformed = true;
            errors.clear(); // what was found before the file broke off is moot: it must be mended first
            String message = String.valueOf(e.getMessage());
            if (message.contains("DOCTYPE") || message.contains("disallow-doctype-decl")) {
                errors.add(e.getLineNumber(), "<!DOCTYPE> is not allowed: the configuration may not use DTDs or entities");
            } else {
                errors.add(e.getLineNumber(), "malformed XML: " + message.strip());
            }
        }

        /** The parser's errors: the file is not well-formed (a fatal one ends the reading). */
        ErrorHandler parserErrors() {
            return new Findings(this::malformed, true);
        }

        /** The validator's findings, each told in the configuration's words; the reading goes on. */
        ErrorHandler validatorErrors() {
            return new Findings(this::translate, false);
        }

        /** One finding of the validator, in the configuration's words; nothing for those another finding already tells. */
        private void translate(SAXParseException e) {
            String message = String.valueOf(e.getMessage());
            Matcher key = ERROR_KEY.matcher(message);
            String code = key.find() ? key.group(1) : "";
            Open element = ending != null ? ending : open.peek();
            if (element == null || FACETS.contains(code)) {
                return;
            }
            Open parent = parentOf(element);
            String subject = element.subject(parent);
            switch (code) {
                case "cvc-attribute.3" -> {
                    Matcher attribute = ATTRIBUTE_OF.matcher(message);
                    String name = attribute.find() ? attribute.group(1) : "?";
                    element.invalid().add(name);
                    String value = element.attributes().get(name);
                    String rule = rules.getOrDefault(element.localName() + "@" + name, "valid here");
                    if ("name".equals(name) && "receiver".equals(element.localName())) {
                        errors.add(element.line(), "receiver: name " + quote(value) + " is not " + rule);
                    } else if ("name".equals(name) && element.attributes().containsKey("name")
                            && List.of("aggregator", "sap-rm-channel").contains(element.localName())) {
                        errors.add(element.line(), subject + ": name is not " + rule + " (" + whyNamed(element.localName()) + ")");
                    } else {
                        errors.add(element.line(), subject + ": " + name + " " + quote(value) + " is not " + rule);
                    }
                }
                case "cvc-complex-type.3.2.2" -> errors.add(element.line(), subject + ": unknown attribute " + quote(attribute(message)));
                case "cvc-complex-type.4" -> errors.add(element.line(), subject + ": missing required attribute "
                        + quote(attribute(message)));
                case "cvc-complex-type.2.4.b" -> {
                    if (!"route".equals(element.localName())) { // a route's own check says what it needs
                        errors.add(element.line(), subject + ": incomplete: " + message.substring(message.indexOf(':') + 1).strip());
                    }
                }
                case "cvc-identity-constraint.4.1", "cvc-identity-constraint.4.2.2" -> duplicate(element, message);
                case "cvc-identity-constraint.4.2.1.a", "cvc-identity-constraint.4.2.1.b", "cvc-identity-constraint.4.3" -> {
                    // a key without its attribute is a missing required attribute; a reference to nothing
                    // is the binding's finding, at the referring element's line
                }
                default -> errors.add(element.line(), subject + ": " + message.substring(message.indexOf(':') + 1).strip());
            }
        }

        private Open parentOf(Open element) {
            boolean next = false;
            for (Open candidate : open) {
                if (next) {
                    return candidate;
                }
                next = candidate == element;
            }
            return null;
        }

        private static String attribute(String message) {
            Matcher attribute = ATTRIBUTE.matcher(message);
            return attribute.find() ? attribute.group(1) : "?";
        }

        /** A name or key declared twice, found at the element that repeats it; the first one's line is kept here. */
        private void duplicate(Open element, String message) {
            Matcher constraint = CONSTRAINT.matcher(message);
            if (!constraint.find()) {
                return;
            }
            String subject = element.subject(null);
            Integer first = firstLine(constraint.group(1), element);
            String at = first == null ? "" : " at line " + first;
            switch (constraint.group(1)) {
                case "receiverName" -> errors.add(element.line(), subject + ": name is already declared" + at);
                case "routeSenderAndInterface" -> errors.add(element.line(), subject
                        + ": this sender and interface already have a route" + at);
                default -> errors.add(element.line(), subject + ": declared twice (first" + at + ")");
            }
        }

        private Integer firstLine(String constraint, Open element) {
            List<String> key = "routeSenderAndInterface".equals(constraint)
                    ? List.of(String.valueOf(element.attributes().get("sender")), String.valueOf(element.attributes().get("interface")))
                    : List.of(String.valueOf(element.attributes().get("name")));
            return firstLines.getOrDefault(constraint, Map.of()).get(key);
        }

        /** Records, at each element's start, the first line of each name and key: what "first at line n" names. */
        private void remember(Open element) {
            switch (element.localName()) {
                case "receiver" -> first("receiverName", element, "name");
                case "aggregator" -> first("aggregatorName", element, "name");
                case "sap-rm-channel" -> first("channelName", element, "name");
                case "sftp-channel" -> first("sftpChannelName", element, "name");
                case "jms-channel" -> first("jmsChannelName", element, "name");
                case "route" -> first("routeSenderAndInterface", element, "sender", "interface");
                default -> {
                }
            }
        }

        private void first(String constraint, Open element, String... attributes) {
            List<String> key = java.util.Arrays.stream(attributes).map(a -> String.valueOf(element.attributes().get(a))).toList();
            firstLines.computeIfAbsent(constraint, c -> new HashMap<>()).putIfAbsent(key, element.line());
        }

        /**
         * Gives each bound element its line, the prefixes in scope and the attributes the schema
         * refused: the bound lists keep the file's order, as the elements recorded here do.
         */
        void locate(ConfigurationXml.Courier document) {
            place(document, root);
            placeAll(document.limits, root, "limits");
            placeAll(document.receivers, root, "receiver");
            placeAll(document.aggregators, root, "aggregator");
            placeAll(document.channels, root, "sap-rm-channel");
            placeAll(document.sftpChannels, root, "sftp-channel");
            placeAll(document.jmsChannels, root, "jms-channel");
            List<Open> routes = root.children().getOrDefault("route", List.of());
            for (int i = 0; i < document.routes.size() && i < routes.size(); i++) {
                ConfigurationXml.Route route = document.routes.get(i);
                Open element = routes.get(i);
                place(route, element);
                placeAll(route.messageIds, element, "message-id");
                placeAll(route.splits, element, "split");
                placeAll(route.targets, element, "to");
                placeAll(route.aggregates, element, "aggregate");
            }
        }

        private void placeAll(List<? extends ConfigurationXml.Located> bound, Open parent, String localName) {
            List<Open> elements = parent.children().getOrDefault(localName, List.of());
            for (int i = 0; i < bound.size() && i < elements.size(); i++) {
                place(bound.get(i), elements.get(i));
            }
        }

        private static void place(ConfigurationXml.Located bound, Open element) {
            bound.line = element.line();
            bound.namespaces = element.namespaces();
            bound.invalid = element.invalid();
        }
    }

    private static String whyNamed(String element) {
        return "aggregator".equals(element) ? "it is the sender of the messages it releases"
                : "it is the last segment of the channel's URL";
    }

    static String describe(String uri, String localName) {
        String element = "<" + localName + ">";
        if (uri == null || uri.isEmpty()) {
            return element + " without a namespace";
        }
        return NAMESPACE.equals(uri) ? element : element + " in namespace " + quote(uri);
    }

    static String quote(String value) {
        return "\"" + value + "\"";
    }
}
