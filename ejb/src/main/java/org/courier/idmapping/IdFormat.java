package org.courier.idmapping;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of message id a receiver (or sender) needs. A format renders a target id from the
 * bytes of a mapping (random for a stored mapping, a keyed hash for a derived one) and checks
 * ids that claim to be of its form, on the way in as on the way out.
 *
 * <p>Configuration names ({@link #parse}): {@code xi}, {@code sap-rm}, {@code idoc-tid},
 * {@code as2:<right part>}, {@code pass-through}, {@code template:<pattern>}.
 */
public sealed interface IdFormat {

    /** Bytes a format may use from a mapping: enough for every form below. */
    int SEED_BYTES = 16;

    /** The target id for these seed bytes (at least {@link #SEED_BYTES}) and source id. */
    String render(byte[] seed, String sourceId);

    /** What is wrong with an id claimed to be of this form, if anything. */
    Optional<String> problem(String id);

    /** The configuration name of this format. */
    String name();

    /** An XI 3.0 message id: a GUID, lower-case hex, 8-4-4-4-12. */
    record Xi() implements IdFormat {
        private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

        @Override
        public String render(byte[] seed, String sourceId) {
            return guid(seed);
        }

        @Override
        public Optional<String> problem(String id) {
            return GUID.matcher(id).matches() ? Optional.empty()
                    : Optional.of("'" + id + "' is not an XI message id (a lower-case GUID 8-4-4-4-12 hex)");
        }

        @Override
        public String name() {
            return "xi";
        }
    }

    /** A SAP reliable-messaging id: {@code uuid:} and a GUID. */
    record SapRm() implements IdFormat {
        private static final String PREFIX = "uuid:";

        @Override
        public String render(byte[] seed, String sourceId) {
            return PREFIX + guid(seed);
        }

        @Override
        public Optional<String> problem(String id) {
            return id.startsWith(PREFIX) && new Xi().problem(id.substring(PREFIX.length())).isEmpty() ? Optional.empty()
                    : Optional.of("'" + id + "' is not a SAP RM message id (uuid: and a lower-case GUID)");
        }

        @Override
        public String name() {
            return "sap-rm";
        }
    }

    /** An IDoc transaction id (TID): 24 upper-case hex characters. */
    record IdocTid() implements IdFormat {
        private static final Pattern TID = Pattern.compile("[0-9A-F]{24}");

        @Override
        public String render(byte[] seed, String sourceId) {
            return HexFormat.of().withUpperCase().formatHex(seed, 0, 12);
        }

        @Override
        public Optional<String> problem(String id) {
            return TID.matcher(id).matches() ? Optional.empty()
                    : Optional.of("'" + id + "' is not an IDoc TID (24 upper-case hex characters)");
        }

        @Override
        public String name() {
            return "idoc-tid";
        }
    }

    /** An AS2 Message-ID (RFC 4130): {@code <left@right>}, the right part configured. */
    record As2(String rightPart) implements IdFormat {
        private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>@\\s]+@[^<>@\\s]+>");

        public As2 {
            if (!rightPart.matches("[^<>@\\s]+")) {
                throw new IllegalArgumentException("the right part of AS2 message ids must be a name without <, >, @"
                        + " or spaces, not '" + rightPart + "'");
            }
        }

        @Override
        public String render(byte[] seed, String sourceId) {
            return "<" + guid(seed) + "@" + rightPart + ">";
        }

        @Override
        public Optional<String> problem(String id) {
            return MESSAGE_ID.matcher(id).matches() && id.length() <= 998 ? Optional.empty()
                    : Optional.of("'" + id + "' is not an AS2 Message-ID (<left@right>)");
        }

        @Override
        public String name() {
            return "as2:" + rightPart;
        }
    }

    /** The source id unchanged: for receivers whose ids are the sender's. */
    record PassThrough() implements IdFormat {
        @Override
        public String render(byte[] seed, String sourceId) {
            return sourceId;
        }

        @Override
        public Optional<String> problem(String id) {
            return id.isEmpty() ? Optional.of("the message id is empty") : Optional.empty();
        }

        @Override
        public String name() {
            return "pass-through";
        }
    }

    /**
     * A custom form: literal text with {@code {hex:N}} (N lower-case hex characters, 1-32),
     * {@code {HEX:N}} (upper-case) and {@code {guid}}, e.g. {@code ORD-{HEX:16}}.
     */
    record Template(String pattern) implements IdFormat {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{(hex|HEX):(\\d{1,2})\\}|\\{guid\\}");

        public Template {
            Matcher placeholders = PLACEHOLDER.matcher(pattern);
            boolean any = false;
            while (placeholders.find()) {
                any = true;
                if (placeholders.group(2) != null) {
                    int n = Integer.parseInt(placeholders.group(2));
                    if (n < 1 || n > 32) {
                        throw new IllegalArgumentException("{hex:N} takes 1 to 32 characters, not " + n + ", in '" + pattern + "'");
                    }
                }
            }
            if (!any) {
                throw new IllegalArgumentException("the id template '" + pattern
                        + "' has no {hex:N}, {HEX:N} or {guid}: every id would be the same");
            }
        }

        @Override
        public String render(byte[] seed, String sourceId) {
            String hex = HexFormat.of().formatHex(seed);
            Matcher placeholders = PLACEHOLDER.matcher(pattern);
            StringBuilder id = new StringBuilder();
            while (placeholders.find()) {
                String value;
                if (placeholders.group(1) == null) {
                    value = guid(seed);
                } else {
                    value = hex.substring(0, Integer.parseInt(placeholders.group(2)));
                    value = placeholders.group(1).equals("HEX") ? value.toUpperCase(Locale.ROOT) : value;
                }
                placeholders.appendReplacement(id, Matcher.quoteReplacement(value));
            }
            placeholders.appendTail(id);
            return id.toString();
        }

        @Override
        public Optional<String> problem(String id) {
            return shape().matcher(id).matches() ? Optional.empty()
                    : Optional.of("'" + id + "' does not have the form " + pattern);
        }

        private Pattern shape() {
            Matcher placeholders = PLACEHOLDER.matcher(pattern);
            StringBuilder regex = new StringBuilder();
            int from = 0;
            while (placeholders.find()) {
                regex.append(Pattern.quote(pattern.substring(from, placeholders.start())));
                if (placeholders.group(1) == null) {
                    regex.append(Xi.GUID.pattern());
                } else {
                    regex.append(placeholders.group(1).equals("HEX") ? "[0-9A-F]" : "[0-9a-f]")
                            .append('{').append(placeholders.group(2)).append('}');
                }
                from = placeholders.end();
            }
            return Pattern.compile(regex.append(Pattern.quote(pattern.substring(from))).toString());
        }

        @Override
        public String name() {
            return "template:" + pattern;
        }
    }

    /** The format of a configuration name; a clear error for anything else. */
    public static IdFormat parse(String name) {
        if (name.startsWith("as2:")) {
            return new As2(name.substring(4));
        }
        if (name.startsWith("template:")) {
            return new Template(name.substring(9));
        }
        return switch (name) {
            case "xi" -> new Xi();
            case "sap-rm" -> new SapRm();
            case "idoc-tid" -> new IdocTid();
            case "pass-through" -> new PassThrough();
            default -> throw new IllegalArgumentException("unknown id format '" + name
                    + "': use xi, sap-rm, idoc-tid, as2:<right part>, pass-through or template:<pattern>");
        };
    }

    /** A GUID from the first 16 seed bytes, marked as RFC 9562 version 8 (custom), variant 10. */
    private static String guid(byte[] seed) {
        byte[] bytes = java.util.Arrays.copyOf(seed, SEED_BYTES);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x80);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().formatHex(bytes);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
