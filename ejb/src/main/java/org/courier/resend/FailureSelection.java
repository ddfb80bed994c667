package org.courier.resend;

import jakarta.persistence.Query;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * Which deliveries an operator's view of the failure store covers: those of one receiver when one
 * is given, of messages within the operator's scope — as JPQL conditions on a delivery {@code d},
 * so that lists, counts and "resend all" take only those.
 */
final class FailureSelection {

    /** Deliveries in the failure store: FAILED and ERROR. */
    static final String IN_STORE = "d.state in (org.courier.message.DeliveryState.FAILED,"
            + " org.courier.message.DeliveryState.ERROR)";
    /** Deliveries held in doubt. */
    static final String IN_DOUBT = "d.state = org.courier.message.DeliveryState.IN_DOUBT";

    private final String receiver;
    private final ScopeCondition scope;

    private FailureSelection(String receiver, ScopeCondition scope) {
        this.receiver = receiver;
        this.scope = scope;
    }

    /** The deliveries of {@code receiver} (null: every receiver) within {@code scope}. */
    static FailureSelection of(OperatorScope scope, String receiver) {
        return new FailureSelection(receiver, ScopeCondition.jpql(scope, "d.message.sender", "d.message.interfaceName"));
    }

    /** {@code " where <condition>"}, narrowed to the receiver and the scope. */
    String where(String condition) {
        return " where " + condition + (receiver == null ? "" : " and d.receiver = :receiver") + scope.and();
    }

    /** Binds what {@link #where} names. */
    <Q extends Query> Q bind(Q query) {
        if (receiver != null) {
            query.setParameter("receiver", receiver);
        }
        return scope.bind(query);
    }
}
