/**
 * Courier's readiness check for WildFly's MicroProfile Health. A library of the EAR (its
 * {@code lib/}), not part of the EJB module: WildFly registers only the health checks of the
 * EAR's own bean archives, never those of its sub-deployments (WFLY-12835). So it depends on
 * nothing of Courier's code: it reads the database and the broker through their JNDI names.
 */
package org.courier.health;
