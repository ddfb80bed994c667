package org.courier.tracking;

import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.courier.access.ScopeCondition;
import org.courier.message.DeliveryState;

/**
 * What an operator searches accepted messages by; every criterion is optional ({@code null}: any)
 * and they combine with AND. {@code from} is inclusive and {@code to} exclusive, on the time of
 * acceptance; {@code state} is matched against the message's deliveries — against those to
 * {@code receiver} when that is given too, so "FAILED at erp" finds what failed at erp only.
 * The operator's scope is a further condition ({@link #where(ScopeCondition)}), so that counts
 * and pages hold only messages the operator may see.
 */
public record MessageFilter(String sender, String interfaceName, String receiver, DeliveryState state, String queueId,
                            String messageId, Instant from, Instant to) {

    /** No criterion: every message. */
    public static MessageFilter any() {
        return new MessageFilter(null, null, null, null, null, null, null, null);
    }

    /** The JPQL condition on message {@code m} (" where ..." or ""), with named parameters as in {@link #bind}. */
    String where() {
        return where(null);
    }

    /**
     * The JPQL condition on message {@code m} within an operator's scope ({@code null}: none), built
     * by {@link ScopeCondition#jpql} on {@code m.sender} and {@code m.interfaceName}.
     */
    String where(ScopeCondition scope) {
        List<String> conditions = new ArrayList<>();
        parameters().keySet().forEach(name -> {
            switch (name) {
                case "sender" -> conditions.add("m.sender = :sender");
                case "interfaceName" -> conditions.add("m.interfaceName = :interfaceName");
                case "queueId" -> conditions.add("m.queueId = :queueId");
                case "messageId" -> conditions.add("m.messageId = :messageId");
                case "from" -> conditions.add("m.acceptedAt >= :from");
                case "to" -> conditions.add("m.acceptedAt < :to");
                default -> { } // receiver and state: in the delivery condition below
            }
        });
        if (receiver != null || state != null) {
            conditions.add("exists (select d.id from Delivery d where d.message = m"
                    + (receiver != null ? " and d.receiver = :receiver" : "")
                    + (state != null ? " and d.state = :state" : "") + ")");
        }
        if (scope != null && scope.restricts()) {
            conditions.add("(" + scope.text() + ")");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    /** Binds the parameters {@link #where()} names. */
    <Q extends Query> Q bind(Q query) {
        parameters().forEach(query::setParameter);
        return query;
    }

    /** Binds the parameters {@link #where(ScopeCondition)} names. */
    <Q extends Query> Q bind(Q query, ScopeCondition scope) {
        return scope == null ? bind(query) : scope.bind(bind(query));
    }

    private Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        put(parameters, "sender", sender);
        put(parameters, "interfaceName", interfaceName);
        put(parameters, "receiver", receiver);
        put(parameters, "state", state);
        put(parameters, "queueId", queueId);
        put(parameters, "messageId", messageId);
        put(parameters, "from", from);
        put(parameters, "to", to);
        return parameters;
    }

    private static void put(Map<String, Object> parameters, String name, Object value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }
}
