package org.courier.idmapping;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bytes an {@link IdFormat} renders a target id from. A <em>derived</em> mapping computes
 * them from (source id, context) with a keyed hash (HMAC-SHA256 under a secret of the Courier
 * installation): the same pair gives the same id on every node and after every restart, needs
 * no storage and never expires, and without the secret nobody can compute or predict an id. A
 * <em>stored</em> mapping draws them at random once and keeps the id.
 */
public final class MappingSeeds {

    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** Seeds under this secret (at least 16 bytes). */
    public MappingSeeds(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the id mapping secret must have at least 16 bytes, not " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    /** The derived seed of (source id, context). */
    public byte[] derived(String sourceId, String context) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            // length-prefixed, so that ("ab", "c") and ("a", "bc") differ
            mac.update(lengthPrefixed(sourceId));
            mac.update(lengthPrefixed(context));
            return Arrays.copyOf(mac.doFinal(), IdFormat.SEED_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A fresh random seed, for a stored mapping. */
    public static byte[] random() {
        byte[] seed = new byte[IdFormat.SEED_BYTES];
        RANDOM.nextBytes(seed);
        return seed;
    }

    private static byte[] lengthPrefixed(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] prefixed = new byte[bytes.length + 4];
        prefixed[0] = (byte) (bytes.length >>> 24);
        prefixed[1] = (byte) (bytes.length >>> 16);
        prefixed[2] = (byte) (bytes.length >>> 8);
        prefixed[3] = (byte) bytes.length;
        System.arraycopy(bytes, 0, prefixed, 4, bytes.length);
        return prefixed;
    }
}
