package org.courier.idmapping;

import java.time.Duration;
import java.util.Objects;

/**
 * How a receiver's message ids are made from the sender's: the {@link IdFormat} it needs, and
 * whether a target id is <em>stored</em> (random, kept for {@code expiration}, like SAP's ID
 * Mapping step) or <em>derived</em> (computed from source id, context and the installation's
 * secret: needs no storage, never changes; a record is still written, for look-ups, and
 * expires alike).
 */
public record IdMappingRule(IdFormat format, Mode mode, Duration expiration) {

    /** SAP's default expiration period of a stored mapping. */
    public static final Duration DEFAULT_EXPIRATION = Duration.ofDays(30);

    public enum Mode {
        STORED, DERIVED
    }

    public IdMappingRule {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(mode, "mode");
        if (expiration.isNegative() || expiration.isZero()) {
            throw new IllegalArgumentException("an id mapping's expiration must be positive");
        }
    }

    /** The rule of a configuration: format name, {@code stored} or {@code derived}, days. */
    public static IdMappingRule of(String formatName, String mode, long expirationDays) {
        Mode parsed = switch (mode) {
            case "stored" -> Mode.STORED;
            case "derived" -> Mode.DERIVED;
            default -> throw new IllegalArgumentException("id-mapping '" + mode + "' is not stored or derived");
        };
        return new IdMappingRule(IdFormat.parse(formatName), parsed, Duration.ofDays(expirationDays));
    }
}
