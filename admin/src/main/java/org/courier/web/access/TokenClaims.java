package org.courier.web.access;

import java.lang.reflect.InvocationTargetException;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.wildfly.security.authz.Attributes;
import org.wildfly.security.authz.MapAttributes;

/**
 * Claims of the access token of an operator signed in through single sign-on (WildFly's
 * elytron-oidc-client): its principal is an {@code org.wildfly.security.http.oidc.OidcPrincipal},
 * whose security context holds the token. Read through the token's public methods by reflection:
 * the classes live in WildFly's private module {@code org.wildfly.security.elytron-http-oidc}, and a
 * deployment that depends on a private module has WildFly log a warning (WFLYSRV0018) every time it
 * deploys. A claim may be one string or a list of strings; a token without it has no such attribute.
 */
final class TokenClaims {

    private static final String OIDC_PRINCIPAL = "org.wildfly.security.http.oidc.OidcPrincipal";

    private TokenClaims() {
    }

    /** Whether {@code principal} signed in through OpenID Connect. */
    static boolean isSignedOn(Principal principal) {
        return principal != null && OIDC_PRINCIPAL.equals(principal.getClass().getName());
    }

    /** The claims {@code names} of the principal's access token, as attributes. */
    static Attributes of(Principal principal, List<String> names) {
        Object token = call(call(principal, "getOidcSecurityContext"), "getToken");
        MapAttributes claims = new MapAttributes();
        for (String name : names) {
            Object value = call(token, "getClaimValue", name);
            if (value instanceof String single) {
                claims.addAll(name, List.of(single));
            } else if (value instanceof Collection<?> many) {
                claims.addAll(name, many.stream().map(String::valueOf).toList());
            } else if (value != null) {
                claims.addAll(name, List.of(String.valueOf(value)));
            }
        }
        return claims;
    }

    private static Object call(Object target, String method, Object... arguments) {
        try {
            Class<?>[] types = new Class<?>[arguments.length];
            Arrays.fill(types, String.class);
            return target.getClass().getMethod(method, types).invoke(target, arguments);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("the OpenID Connect token of this WildFly cannot be read (" + method + ")", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading the OpenID Connect token failed (" + method + ")", e.getCause());
        }
    }
}
