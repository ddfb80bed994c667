package org.courier.audit;

import java.io.Serializable;
import org.courier.access.OperatorScope;

/**
 * What an audited action concerned, as far as operators' scopes go: one message (its sender and
 * interface), a sender's queue or an action named by its sender only (interface {@code null}), or
 * nothing in particular — an action for everybody, or one refused before anything was found
 * ({@link #EVERYTHING}: both {@code null}).
 *
 * <p>Who may read the entry follows from it ({@link AuditTrail#find}): an entry of a message is
 * read by operators whose scope permits its sender and interface; of a sender alone, by those
 * holding the whole sender (its every interface); of everything, by unrestricted operators only.
 */
public record AuditSubject(String sender, String interfaceName) implements Serializable {

    /** An action that concerns no one sender: seen by unrestricted operators only. */
    public static final AuditSubject EVERYTHING = new AuditSubject(null, null);

    /** One message, or another item of one sender and interface (an idempotent call). */
    public static AuditSubject message(String sender, String interfaceName) {
        return new AuditSubject(sender, interfaceName);
    }

    /** Something of one sender as a whole (a queue's policy), or named by its sender only. */
    public static AuditSubject sender(String sender) {
        return sender == null || sender.isBlank() ? EVERYTHING : new AuditSubject(sender.strip(), null);
    }

    /**
     * An action confined to the operator's own scope (e.g. "resend all of a receiver"): the scope's
     * one sender (and its one interface, if it is bound to one) when it is bound to one sender; else
     * {@link #EVERYTHING}, since no one sender names it.
     */
    public static AuditSubject within(OperatorScope scope) {
        if (scope.senders() == null || scope.senders().size() != 1) {
            return EVERYTHING;
        }
        String sender = scope.senders().iterator().next();
        boolean oneInterface = scope.interfaces() != null && scope.interfaces().size() == 1;
        return new AuditSubject(sender, oneInterface ? scope.interfaces().iterator().next() : null);
    }
}
