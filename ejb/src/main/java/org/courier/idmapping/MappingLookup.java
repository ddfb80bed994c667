package org.courier.idmapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * The look-up of id mappings for an operator, one way or the other (by source id, by target id),
 * in plain SQL for H2 and PostgreSQL with the operator's scope in the query. A mapping's sender is
 * its source id up to the first '/' (sender names hold no '/'); its interface is that of the
 * stored message it was made for, so an operator bound to interfaces sees only mappings of stored
 * messages of those interfaces (not an aggregate's, whose source is the aggregator's collection,
 * nor a purged message's). A mapping row has no key of its own on sender: the scope narrows what
 * the look-up by source or target id found, through the message's unique key.
 */
final class MappingLookup {

    private static final String COLUMNS = "SELECT m.ID, m.SOURCE_ID, m.CONTEXT, m.TARGET_ID, m.FORMAT, m.MAPPING,"
            + " m.CREATED_AT, m.EXPIRES_AT FROM COURIER_ID_MAPPING m WHERE ";
    private static final String SENDER_WITH_SLASH = "SUBSTRING(m.SOURCE_ID FROM 1 FOR POSITION('/' IN m.SOURCE_ID))";
    private static final String OF_MESSAGE = "EXISTS (SELECT 1 FROM COURIER_MESSAGE r"
            + " WHERE r.SENDER = SUBSTRING(m.SOURCE_ID FROM 1 FOR GREATEST(POSITION('/' IN m.SOURCE_ID) - 1, 0))"
            + " AND r.MESSAGE_ID = SUBSTRING(m.SOURCE_ID FROM POSITION('/' IN m.SOURCE_ID) + 1) AND ";

    private final String sql;
    private final List<Object> parameters;

    private MappingLookup(String key, String order, Object value, OperatorScope scope) {
        StringBuilder text = new StringBuilder(COLUMNS).append(key).append(" = ?");
        List<Object> values = new ArrayList<>(List.of(value));
        if (scope.senders() != null) {
            Set<String> prefixes = scope.senders().stream().map(sender -> sender + "/").collect(Collectors.toSet());
            ScopeCondition prefix = ScopeCondition.sql(new OperatorScope(prefixes, null), SENDER_WITH_SLASH, null);
            text.append(" AND ").append(prefix.text());
            values.addAll(prefix.parameters());
        }
        if (scope.interfaces() != null) {
            ScopeCondition interfaces = ScopeCondition.sql(new OperatorScope(null, scope.interfaces()), null,
                    "r.INTERFACE_NAME");
            text.append(" AND ").append(OF_MESSAGE).append(interfaces.text()).append(')');
            values.addAll(interfaces.parameters());
        }
        this.sql = text.append(" ORDER BY ").append(order).toString();
        this.parameters = List.copyOf(values);
    }

    /** The mappings of one source id (sender/message id) within the scope, by context. */
    static MappingLookup bySource(OperatorScope scope, String sourceId) {
        return new MappingLookup("m.SOURCE_ID", "m.CONTEXT", sourceId, scope);
    }

    /** The mappings that gave one target id within the scope, by source id. */
    static MappingLookup byTarget(OperatorScope scope, String targetId) {
        return new MappingLookup("m.TARGET_ID", "m.SOURCE_ID, m.CONTEXT", targetId, scope);
    }

    /** The query; its columns are those of {@link IdMapping}. */
    String sql() {
        return sql;
    }

    /** The values of {@link #sql()}'s {@code ?} markers, in order. */
    List<Object> parameters() {
        return parameters;
    }
}
