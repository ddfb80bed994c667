package org.courier.web.security;

import java.util.Collection;
import java.util.List;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.wildfly.security.auth.server.SecurityDomain;
import org.wildfly.security.auth.server.SecurityIdentity;
import org.wildfly.security.authz.Attributes;

/**
 * Which sender systems the calling user may act as. Every sender edge (the v1 SOAP endpoint, SAP RM,
 * XI) asks before it stores or reads anything: a user sends as, and reads the status of, only the
 * senders its identity in Courier's Elytron realm lists in the attribute {@value #ATTRIBUTE};
 * {@value #ANY_SENDER} there binds it to every sender (a trusted gateway). No identity, or no such
 * attribute, binds to none: the request is refused with {@code NOT_AUTHORIZED}, nothing stored.
 *
 * <p>Users, their roles and their senders are set up with {@code server/courier-user.sh}.
 */
public final class SenderBinding {

    /** The realm attribute that lists the senders a user may act as. */
    public static final String ATTRIBUTE = "senders";

    /** The value of {@value #ATTRIBUTE} that binds a user to every sender. */
    public static final String ANY_SENDER = "*";

    private SenderBinding() {
    }

    /** Refuses unless the calling user may act as {@code sender}; {@code action} words the refusal ("send as"). */
    public static void check(String sender, String action) throws RequestRejected {
        SecurityIdentity identity = currentIdentity();
        String user = identity == null ? "anonymous" : identity.getPrincipal().getName();
        if (identity == null || !permits(boundSenders(identity.getAttributes()), sender)) {
            throw new RequestRejected(FaultCode.NOT_AUTHORIZED,
                    "user '" + user + "' may not " + action + " sender '" + sender + "'");
        }
    }

    /** Whether a user bound to {@code senders} may act as {@code sender}. */
    static boolean permits(Collection<String> senders, String sender) {
        return sender != null && (senders.contains(ANY_SENDER) || senders.contains(sender));
    }

    private static Collection<String> boundSenders(Attributes attributes) {
        Attributes.Entry entry = attributes.get(ATTRIBUTE);
        return entry == null ? List.of() : entry;
    }

    private static SecurityIdentity currentIdentity() {
        SecurityDomain domain = SecurityDomain.getCurrent();
        if (domain == null) {
            return null;
        }
        SecurityIdentity identity = domain.getCurrentSecurityIdentity();
        return identity.isAnonymous() ? null : identity;
    }
}
