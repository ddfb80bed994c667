package org.courier.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * How long Courier keeps what it no longer needs, counted from the moment a message was
 * settled (its last delivery attempt, or its acceptance if it had none):
 * <ul>
 * <li>{@value #MESSAGES} (default {@value #MESSAGES_DEFAULT}): a message delivered without
 * trouble — payload, idempotency record and deliveries;</li>
 * <li>{@value #FAILURES} (default {@value #FAILURES_DEFAULT}): a message any of whose deliveries
 * went through the failure store or was cancelled, so operators can still look into it;</li>
 * <li>{@value #TOMBSTONES} (default {@value #TOMBSTONES_DEFAULT}), counted from the purge: the
 * compact trace of a purged message that tells a sender's late retry from a new message.</li>
 * </ul>
 * System properties, ISO-8601 durations such as {@code P30D}.
 *
 * <p>Invariant: every period is positive and tombstones outlive both others, so a retry is
 * recognised for longer than the full record is kept. A policy that breaks it is refused.
 */
public final class RetentionPolicy {

    public static final String MESSAGES = "courier.retention.messages";
    public static final String FAILURES = "courier.retention.failures";
    public static final String TOMBSTONES = "courier.retention.tombstones";
    static final String MESSAGES_DEFAULT = "P30D";
    static final String FAILURES_DEFAULT = "P90D";
    static final String TOMBSTONES_DEFAULT = "P400D";

    private final Duration messages;
    private final Duration failures;
    private final Duration tombstones;

    public RetentionPolicy(Duration messages, Duration failures, Duration tombstones) {
        requirePositive(MESSAGES, messages);
        requirePositive(FAILURES, failures);
        requirePositive(TOMBSTONES, tombstones);
        if (tombstones.compareTo(messages) <= 0 || tombstones.compareTo(failures) <= 0) {
            throw new IllegalArgumentException("Retention " + TOMBSTONES + "=" + iso(tombstones) + " must be longer than "
                    + MESSAGES + "=" + iso(messages) + " and " + FAILURES + "=" + iso(failures)
                    + ": a purged message's late retry would otherwise be taken for a new message");
        }
        this.messages = messages;
        this.failures = failures;
        this.tombstones = tombstones;
    }

    /** The policy the system properties configure, defaults where one is not set. */
    public static RetentionPolicy fromSystemProperties() {
        return from(System::getProperty);
    }

    /** The policy these properties configure (a property that is {@code null} or blank takes its default). */
    static RetentionPolicy from(UnaryOperator<String> properties) {
        return new RetentionPolicy(period(properties, MESSAGES, MESSAGES_DEFAULT),
                period(properties, FAILURES, FAILURES_DEFAULT), period(properties, TOMBSTONES, TOMBSTONES_DEFAULT));
    }

    /** How long a settled message is kept: longer if it had trouble (failure store or cancel). */
    public Duration period(boolean troubled) {
        return troubled ? failures : messages;
    }

    /** As of {@code cutoff}, a message settled before this instant is purged. */
    public Instant settledBefore(Instant cutoff, boolean troubled) {
        return cutoff.minus(period(troubled));
    }

    /** As of {@code cutoff}, a tombstone written before this instant is removed. */
    public Instant tombstonesBefore(Instant cutoff) {
        return cutoff.minus(tombstones);
    }

    public Duration tombstones() {
        return tombstones;
    }

    @Override
    public String toString() {
        return "messages " + iso(messages) + ", messages with trouble " + iso(failures) + ", tombstones " + iso(tombstones);
    }

    /** ISO-8601 as operators write it: whole days as {@code P30D}, not {@code PT720H}. */
    static String iso(Duration period) {
        return period.toSeconds() % Duration.ofDays(1).toSeconds() == 0 ? "P" + period.toDays() + "D" : period.toString();
    }

    private static Duration period(UnaryOperator<String> properties, String property, String fallback) {
        String value = properties.apply(property);
        String text = value == null || value.isBlank() ? fallback : value.strip();
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("System property " + property + "='" + text
                    + "' is not an ISO-8601 duration such as P30D or PT12H", e);
        }
    }

    private static void requirePositive(String property, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("Retention " + property + "=" + iso(period) + " must be positive");
        }
    }
}
