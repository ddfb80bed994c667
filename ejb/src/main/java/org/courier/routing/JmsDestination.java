package org.courier.routing;

import jakarta.jms.ConnectionFactory;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where a JMS receiver's deliveries go: {@code jms://<factory>/<queue>}, the queue {@code queue}
 * (its name on the broker, e.g. an Artemis anycast address) of the broker that WildFly's pooled
 * connection factory with the JNDI entry {@code java:/jms/<factory>} reaches. The factory holds
 * what the file must not: the broker's address, its user and password (an Elytron credential
 * reference), and it enlists each send in the delivery's XA transaction (docs/jms.md).
 *
 * @param factory the connection factory's name: its JNDI entry is {@link #jndiName()}
 * @param queue   the queue's name on the broker
 */
public record JmsDestination(String factory, String queue) {

    /** Where WildFly binds the connection factories Courier sends through. */
    public static final String JNDI_PREFIX = "java:/jms/";

    private static final Pattern URL = Pattern.compile("jms://([A-Za-z0-9._\\-]{1,60})/([A-Za-z0-9._\\-:]{1,200})",
            Pattern.CASE_INSENSITIVE);

    /** The destination a {@code jms://factory/queue} URL names, if it is one. */
    public static Optional<JmsDestination> of(String url) {
        Matcher m = URL.matcher(url);
        return m.matches() ? Optional.of(new JmsDestination(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The destination of a JMS receiver's URL, which the configuration checked. */
    public static JmsDestination of(URI url) {
        return of(url.toString()).orElseThrow(() -> new IllegalArgumentException("not a jms://factory/queue URL: " + url));
    }

    /** The JNDI name of the connection factory: {@code java:/jms/<factory>}. */
    public String jndiName() {
        return JNDI_PREFIX + factory;
    }

    /** The error of a connection factory WildFly does not have: what to add, and where it is explained. */
    private String missingFactory() {
        return "WildFly has no JMS connection factory " + jndiName() + " (a pooled-connection-factory with that entry,"
                + " transaction xa: docs/jms.md)";
    }

    /**
     * WildFly's connection factory for this destination, looked up in JNDI.
     *
     * @throws NamingException saying what an operator must add when WildFly has none under that
     *                         name, or that what it has there is no JMS connection factory
     */
    public ConnectionFactory connectionFactory() throws NamingException {
        Object found;
        try {
            found = new InitialContext().lookup(jndiName());
        } catch (NamingException missing) {
            throw new NamingException(missingFactory());
        }
        if (!(found instanceof ConnectionFactory factory)) {
            throw new NamingException(jndiName() + " is no JMS connection factory");
        }
        return factory;
    }

    /** As operators read it: the queue and the factory's JNDI name. */
    @Override
    public String toString() {
        return "queue " + queue + " through " + jndiName();
    }
}
