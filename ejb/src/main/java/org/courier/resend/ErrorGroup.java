package org.courier.resend;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The error of a failed delivery with what differs from message to message taken out, so that
 * "the same error with different ids" is one group: UUIDs, timestamps, hexadecimal runs of 8 or
 * more, and numbers of 4 or more digits become placeholders; an HTTP status, a port-less host
 * name and the words stay. {@link #key()} names the group in a URL: the first 12 hexadecimal
 * digits of the SHA-256 of the normalised text.
 *
 * @param text the normalised error ({@value #NO_ERROR} when the delivery has none)
 */
public record ErrorGroup(String text) {

    /** The group of deliveries that failed without an error text. */
    public static final String NO_ERROR = "(no error recorded)";

    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?");
    /** A run of hexadecimal digits with at least one digit and one letter (a hash, a GUID without dashes). */
    private static final Pattern HEX = Pattern.compile("\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d{4,}");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final int KEY_DIGITS = 12;

    /** The group of this error text (null or blank: {@value #NO_ERROR}). */
    public static ErrorGroup of(String error) {
        if (error == null || error.isBlank()) {
            return new ErrorGroup(NO_ERROR);
        }
        String text = UUID.matcher(error).replaceAll("<id>");
        text = TIMESTAMP.matcher(text).replaceAll("<time>");
        text = HEX.matcher(text).replaceAll("<id>");
        text = NUMBER.matcher(text).replaceAll("<n>");
        return new ErrorGroup(SPACES.matcher(text.strip()).replaceAll(" "));
    }

    /** The group's name in a URL: 12 hexadecimal digits. */
    public String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, KEY_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** Whether {@code key} names a group: 12 hexadecimal digits. */
    public static boolean isKey(String key) {
        return key != null && key.length() == KEY_DIGITS && key.chars().allMatch(c -> Character.digit(c, 16) >= 0
                && !Character.isUpperCase(c));
    }
}
