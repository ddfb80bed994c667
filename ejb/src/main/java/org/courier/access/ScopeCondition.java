package org.courier.access;

import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@link OperatorScope} as the condition of a database query, so that the database selects,
 * counts and pages only what the operator may see. Built for the columns (native SQL, positional
 * {@code ?} parameters) or paths (JPQL, named parameters {@value #SENDERS} and {@value #INTERFACES})
 * that hold a row's sender and interface; a {@code null} column leaves that side of the scope out.
 *
 * <p>Invariant: the condition holds for a row exactly when the scope {@linkplain
 * OperatorScope#permits permits} its sender and interface; a scope bound to no sender (or no
 * interface) is a condition no row meets ({@code 1 = 0}), never an empty {@code IN ()}; an
 * unrestricted side adds nothing.
 */
public final class ScopeCondition {

    /** The named JPQL parameter of the senders. */
    public static final String SENDERS = "scopeSenders";
    /** The named JPQL parameter of the interfaces. */
    public static final String INTERFACES = "scopeInterfaces";

    private static final String NOTHING = "1 = 0";

    private final String text;
    private final List<Object> positional;
    private final Map<String, Object> named;

    private ScopeCondition(String text, List<Object> positional, Map<String, Object> named) {
        this.text = text;
        this.positional = Collections.unmodifiableList(positional);
        this.named = Collections.unmodifiableMap(named);
    }

    /** The JPQL condition on the paths of a row's sender and interface (either may be {@code null}: not restricted there). */
    public static ScopeCondition jpql(OperatorScope scope, String senderPath, String interfacePath) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        side(scope.senders(), senderPath, conditions, values -> {
            named.put(SENDERS, List.copyOf(values));
            return senderPath + " in :" + SENDERS;
        });
        side(scope.interfaces(), interfacePath, conditions, values -> {
            named.put(INTERFACES, List.copyOf(values));
            return interfacePath + " in :" + INTERFACES;
        });
        return new ScopeCondition(String.join(" and ", conditions), List.of(), named);
    }

    /** The native SQL condition on the columns of a row's sender and interface (either may be {@code null}). */
    public static ScopeCondition sql(OperatorScope scope, String senderColumn, String interfaceColumn) {
        List<String> conditions = new ArrayList<>();
        List<Object> positional = new ArrayList<>();
        side(scope.senders(), senderColumn, conditions, values -> markers(senderColumn, values, positional));
        side(scope.interfaces(), interfaceColumn, conditions, values -> markers(interfaceColumn, values, positional));
        return new ScopeCondition(String.join(" AND ", conditions), positional, Map.of());
    }

    /** The condition; {@code ""} when it restricts nothing. */
    public String text() {
        return text;
    }

    /** {@code " and (condition)"} to append to a JPQL or SQL condition, or {@code ""} when it restricts nothing. */
    public String and() {
        return text.isEmpty() ? "" : " and (" + text + ")";
    }

    /** Whether the condition restricts anything. */
    public boolean restricts() {
        return !text.isEmpty();
    }

    /** The values of a native condition's {@code ?} markers, in order. */
    public List<Object> parameters() {
        return positional;
    }

    /** Binds a JPQL condition's named parameters to the query. */
    public <Q extends Query> Q bind(Q query) {
        named.forEach(query::setParameter);
        return query;
    }

    private interface Restriction {
        String on(Set<String> values);
    }

    private static void side(Set<String> bound, String column, List<String> conditions, Restriction restriction) {
        if (bound == null || column == null) {
            return;
        }
        conditions.add(bound.isEmpty() ? NOTHING : restriction.on(new TreeSet<>(bound)));
    }

    private static String markers(String column, Set<String> values, List<Object> positional) {
        positional.addAll(values);
        return column + " IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
    }
}
