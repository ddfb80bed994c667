package org.courier.message;

import jakarta.persistence.EntityManager;
import java.util.Optional;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;

/**
 * Accepted messages looked up by their key (sender, message id) for an operator: the scope is a
 * condition of the query, so a message outside it is not found — exactly as one never accepted.
 */
public final class ScopedMessages {

    private ScopedMessages() {
    }

    /** The message of {@code sender} with {@code messageId}, if there is one within {@code scope}. */
    public static Optional<ReceivedMessage> find(EntityManager em, OperatorScope scope, String sender, String messageId) {
        ScopeCondition visible = ScopeCondition.jpql(scope, "m.sender", "m.interfaceName");
        return visible.bind(em.createQuery("select m from ReceivedMessage m where m.sender = :sender"
                        + " and m.messageId = :messageId" + visible.and(), ReceivedMessage.class))
                .setParameter("sender", sender)
                .setParameter("messageId", messageId)
                .getResultStream()
                .findFirst();
    }
}
