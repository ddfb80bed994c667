package org.courier.web.access;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.courier.access.OperatorScope;
import org.wildfly.security.auth.server.SecurityDomain;
import org.wildfly.security.auth.server.SecurityIdentity;
import org.wildfly.security.authz.Attributes;

/**
 * The operator behind an admin API request, as Courier's Elytron realm describes it: the
 * attributes {@value #SENDERS} and {@value #INTERFACES} bind the user to part of Courier's data
 * ({@link OperatorScope}; {@value #ANY} binds it to all). Without {@value #SENDERS} a user sees no
 * sender (least privilege: a user is given what it may see, never left with everything by
 * omission); without {@value #INTERFACES} it is not limited by interface.
 *
 * <p>An operator signed in through single sign-on (the monitor on OpenID Connect) has no realm
 * attributes — elytron-oidc-client gives its identity its roles only — so its scope comes from the
 * claims {@value #SENDERS} and {@value #INTERFACES} of its access token, with the same meaning
 * ({@link TokenClaims}).
 */
public record Caller(String name, OperatorScope scope) {

    /** The realm attribute listing the senders a user may act as or see. */
    public static final String SENDERS = "senders";

    /** The realm attribute listing the interfaces an operator may see; absent: every interface. */
    public static final String INTERFACES = "interfaces";

    /** The value of either attribute that stands for every one. */
    public static final String ANY = "*";

    /** The caller of the current request; anonymous with an empty scope when there is none. */
    public static Caller current() {
        SecurityDomain domain = SecurityDomain.getCurrent();
        SecurityIdentity identity = domain == null ? null : domain.getCurrentSecurityIdentity();
        if (identity == null || identity.isAnonymous()) {
            return new Caller("anonymous", new OperatorScope(Set.of(), Set.of()));
        }
        Attributes attributes = TokenClaims.isSignedOn(identity.getPrincipal())
                ? TokenClaims.of(identity.getPrincipal(), List.of(SENDERS, INTERFACES))
                : identity.getAttributes();
        return new Caller(identity.getPrincipal().getName(),
                new OperatorScope(bound(values(attributes, SENDERS)), absentIsAny(attributes, INTERFACES)));
    }

    private static Set<String> absentIsAny(Attributes attributes, String name) {
        return attributes.containsKey(name) ? bound(values(attributes, name)) : null;
    }

    /** {@code null} (every one) when the values hold {@value #ANY}, else the values. */
    static Set<String> bound(Collection<String> values) {
        return values.contains(ANY) ? null : new LinkedHashSet<>(values);
    }

    private static Collection<String> values(Attributes attributes, String name) {
        Attributes.Entry entry = attributes.get(name);
        return entry == null ? List.of() : entry;
    }
}
