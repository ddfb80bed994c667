package org.courier.web.admin;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The EJBs behind the admin API, looked up by their portable {@code java:app} names. The admin API
 * is one jar in the {@code WEB-INF/lib} of two web modules (courier-web for scripts,
 * courier-monitor for people); WildFly keeps the {@code @EJB} injection of a class per class name
 * across an EAR, so field injection works in one of the two modules only. A lookup by name works
 * in both.
 */
final class EnterpriseBeans {

    /** The EAR module of Courier's core EJBs. */
    static final String CORE = "courier-ejb";

    /** The EAR module of the batch jobs and their starters. */
    static final String BATCH = "courier-batch-jobs";

    private EnterpriseBeans() {
    }

    /** The no-interface view of EJB {@code type} of {@code module} (its simple class name is its bean name). */
    static <T> T lookup(String module, Class<T> type) {
        return lookup(module, type.getSimpleName(), type);
    }

    /** The view {@code type} of the EJB named {@code bean} of {@code module}. */
    static <T> T lookup(String module, String bean, Class<T> type) {
        String name = "java:app/" + module + "/" + bean + "!" + type.getName();
        try {
            return type.cast(InitialContext.doLookup(name));
        } catch (NamingException e) {
            throw new IllegalStateException("EJB " + name + " is not deployed", e);
        }
    }
}
