package org.courier.h2;

/**
 * H2's JDBC driver, unchanged, under this module's name: WildFly loads a driver's XA data source
 * class ({@link RecoverableH2DataSource}) through the class loader of its {@code java.sql.Driver},
 * so the driver class has to come from this module rather than from H2's.
 */
public class H2Driver extends org.h2.Driver {
}
