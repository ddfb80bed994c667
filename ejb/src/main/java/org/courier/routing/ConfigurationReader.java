package org.courier.routing;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.xml.namespace.QName;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The mechanics under {@link ConfigurationParser}: a hardened StAX reader (no DTDs, no external
 * entities), walking elements and their text, reading and checking attributes and values, and
 * collecting errors with their lines. What the elements mean is the parser's.
 */
abstract class ConfigurationReader {

    static final String NAMESPACE = "urn:courier:config:1";
    static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    static final Pattern XPATH_PREFIX = Pattern.compile("(?<![\\w.:-])([A-Za-z_][\\w.-]*):(?!:)");

    @FunctionalInterface
    interface ElementReader {
        void read() throws XMLStreamException;
    }

    final String source;
    final String fileName;
    final ConfigurationErrors errors;
    XMLStreamReader reader;
    /** The line the current event starts on: where the parser stood before reading it. */
    int eventLine;

    ConfigurationReader(String source, String fileName) {
        this.source = source;
        this.fileName = fileName;
        this.errors = new ConfigurationErrors(fileName);
    }

    static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    boolean advanceToRoot() throws XMLStreamException {
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.DTD) {
                errors.add(line() - newlines(reader.getText()),
                        "<!DOCTYPE> is not allowed: the configuration may not use DTDs or entities");
                return false;
            }
        }
        return false;
    }

    /** Reads the content of the current element up to its end tag, handing child elements to {@code child}. */
    void readChildren(String parent, ElementReader child) throws XMLStreamException {
        while (true) {
            switch (nextEvent()) {
                case XMLStreamConstants.START_ELEMENT -> child.read();
                case XMLStreamConstants.END_ELEMENT -> {
                    return;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        checkBlank(parent);
                default -> {
                    // comments and processing instructions carry no configuration
                }
            }
        }
    }

    /**
     * Advances to the next event inside the root element, where all content (whitespace
     * included) is reported, so the previous event ends exactly where the next one starts.
     */
    int nextEvent() throws XMLStreamException {
        eventLine = line();
        return reader.next();
    }

    void readEmptyContent(String element) throws XMLStreamException {
        readChildren(element, () -> unknownElement(element));
    }

    void unknownElement(String parent) throws XMLStreamException {
        errors.add(eventLine, "unknown element " + describeElement() + " in <" + parent + ">");
        skipElement();
    }

    void skipElement() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    void checkBlank(String parent) {
        String raw = reader.getText();
        String text = raw.strip();
        if (!text.isEmpty()) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            int leading = newlines(raw.substring(0, raw.indexOf(text.charAt(0))));
            errors.add(eventLine + leading, "unexpected text \"" + shown + "\" in <" + parent + ">");
        }
    }

    /** Binds the prefixes an XPath uses to the namespaces declared in scope; an error for one that is not. */
    void declaredPrefixes(int line, String subject, String xpath, Map<String, String> namespaces) {
        for (String prefix : XPATH_PREFIX.matcher(xpath).results().map(r -> r.group(1)).distinct().toList()) {
            String uri = reader.getNamespaceContext().getNamespaceURI(prefix);
            if (uri == null || uri.isEmpty()) {
                errors.add(line, subject + ": prefix " + quote(prefix) + " of the XPath is not declared");
            } else {
                namespaces.put(prefix, uri);
            }
        }
    }

    /** The current element's attributes by name ({@code prefix:name} for namespaced ones), in document order. */
    Map<String, String> attributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            QName name = reader.getAttributeName(i);
            String prefix = name.getPrefix();
            String key = prefix.isEmpty() ? name.getLocalPart() : prefix + ":" + name.getLocalPart();
            attributes.put(key, reader.getAttributeValue(i));
        }
        return attributes;
    }

    void checkAttributes(int line, String subject, Map<String, String> attributes,
                                 List<String> allowed, List<String> required) {
        for (String name : attributes.keySet()) {
            if (!allowed.contains(name)) {
                errors.add(line, subject + ": unknown attribute " + quote(name));
            }
        }
        for (String name : required) {
            if (!attributes.containsKey(name)) {
                errors.add(line, subject + ": missing required attribute " + quote(name));
            }
        }
    }

    /** The value of a whole-number attribute from 1 to {@code max}, or {@code fallback} if absent or invalid. */
    long number(int line, String subject, String attribute, String value, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        OptionalLong number = wholeNumber(value, max);
        if (number.isEmpty()) {
            errors.add(line, subject + ": " + attribute + " " + quote(value)
                    + " is not a whole number from 1 to " + max);
        }
        return number.orElse(fallback);
    }

    static OptionalLong wholeNumber(String value, long max) {
        if (!DIGITS.matcher(value).matches()) {
            return OptionalLong.empty();
        }
        long number = Long.parseLong(value);
        return number >= 1 && number <= max ? OptionalLong.of(number) : OptionalLong.empty();
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

    int line() {
        return reader.getLocation().getLineNumber();
    }

    /** The current element's local name if it is in the Courier namespace, otherwise "". */
    String localNameInNamespace() {
        return NAMESPACE.equals(reader.getNamespaceURI()) ? reader.getLocalName() : "";
    }

    String describeElement() {
        String namespace = reader.getNamespaceURI();
        String element = "<" + reader.getLocalName() + ">";
        if (namespace == null || namespace.isEmpty()) {
            return element + " without a namespace";
        }
        return NAMESPACE.equals(namespace) ? element : element + " in namespace " + quote(namespace);
    }

    static int newlines(String text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    static String quote(String value) {
        return "\"" + value + "\"";
    }

    String summary(String problem) {
        return "Courier configuration " + source + " " + problem;
    }

    RuntimeException malformed(XMLStreamException e) {
        if (e.getNestedException() instanceof IOException io) {
            return unreadable(source, fileName, describe(io), e);
        }
        Location location = e.getLocation();
        ConfigurationErrors syntax = new ConfigurationErrors(fileName);
        syntax.add(location == null ? 0 : location.getLineNumber(), "malformed XML: " + parserMessage(e));
        return new InvalidConfigurationException(summary("is invalid"), syntax.formatted(), e);
    }

    /** The parser's own description of a syntax error, without its "ParseError at [row,col]" prefix. */
    static String parserMessage(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int start = message.indexOf("Message: ");
        return (start >= 0 ? message.substring(start + "Message: ".length()) : message).strip();
    }

    static InvalidConfigurationException unreadable(Object source, String fileName, String problem,
                                                            Throwable cause) {
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
