package org.courier.web.sap;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SAP message ids: GUIDs, sent as 32 hex digits or as 8-4-4-4-12, bare or with a {@code uuid:} or
 * {@code urn:uuid:} prefix, in either case. Courier keeps one form, the lower-case 8-4-4-4-12, so
 * a resend in another spelling is the same message.
 */
final class SapGuid {

    static final String RULE = "a GUID: 32 hex digits, or 8-4-4-4-12, optionally prefixed uuid: or urn:uuid:";
    private static final Pattern DASHED = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern PLAIN = Pattern.compile("[0-9a-f]{32}");

    private SapGuid() {
    }

    /** The id in Courier's form, or empty if it is no GUID. */
    static Optional<String> normalize(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String text = id.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("urn:uuid:")) {
            text = text.substring("urn:uuid:".length());
        } else if (text.startsWith("uuid:")) {
            text = text.substring("uuid:".length());
        }
        if (DASHED.matcher(text).matches()) {
            return Optional.of(text);
        }
        if (PLAIN.matcher(text).matches()) {
            return Optional.of(text.substring(0, 8) + "-" + text.substring(8, 12) + "-" + text.substring(12, 16) + "-"
                    + text.substring(16, 20) + "-" + text.substring(20));
        }
        return Optional.empty();
    }
}
