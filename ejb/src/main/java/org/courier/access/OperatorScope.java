package org.courier.access;

import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * The messages an operator may see and act on: those of the senders in {@code senders} and the
 * interfaces in {@code interfaces}; {@code null} for either means "every one" (the realm value
 * {@code *}). An operator bound to no sender sees nothing. Actions that reach beyond messages —
 * running the resend or purge job for everybody, a queue's policy for all its interfaces — need
 * {@linkplain #unrestricted() no restriction}.
 */
public record OperatorScope(Set<String> senders, Set<String> interfaces) implements Serializable {

    /** Every sender and every interface. */
    public static final OperatorScope EVERYTHING = new OperatorScope(null, null);

    public OperatorScope {
        senders = senders == null ? null : Set.copyOf(senders);
        interfaces = interfaces == null ? null : Set.copyOf(interfaces);
    }

    /** Whether a message of {@code sender} on {@code interfaceName} is within this scope. */
    public boolean permits(String sender, String interfaceName) {
        return permitsSender(sender) && (interfaces == null || interfaces.contains(interfaceName));
    }

    /** Whether some messages of {@code sender} may be within this scope. */
    public boolean permitsSender(String sender) {
        return senders == null || senders.contains(sender);
    }

    /** Whether this scope holds every sender and every interface. */
    public boolean unrestricted() {
        return senders == null && interfaces == null;
    }

    /** Whether this scope holds nothing at all (bound to no sender or no interface). */
    public boolean empty() {
        return senders != null && senders.isEmpty() || interfaces != null && interfaces.isEmpty();
    }

    /** Refuses ({@link ScopeRefused}) an action that reaches every sender's messages unless this scope is unrestricted. */
    public void requireUnrestricted(String action) {
        if (!unrestricted()) {
            throw new ScopeRefused(action + " reaches the messages of every sender and interface: only an operator"
                    + " bound to all of them may do it (realm attributes senders=* and no interfaces); this one is"
                    + " bound to " + this);
        }
    }

    /** The scope in words: {@code senders [ERP], interfaces: all}. */
    @Override
    public String toString() {
        return "senders " + words(senders) + ", interfaces " + words(interfaces);
    }

    private static String words(Set<String> values) {
        return values == null ? "all" : new TreeSet<>(values).toString();
    }
}
