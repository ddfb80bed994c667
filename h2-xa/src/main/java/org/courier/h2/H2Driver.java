package org.courier.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * H2's JDBC driver under this module's name, whose first connection to a database takes out the
 * entries a crash left over in it before the connection is handed out (see {@link LeftoverSweeper})
 * and starts the housekeeping that keeps its file from growing with every commit
 * ({@link StoreHousekeeping}).
 * WildFly also loads a driver's XA data source class ({@link RecoverableH2DataSource}) through the
 * class loader of its {@code java.sql.Driver}, so the driver class has to come from this module.
 */
public class H2Driver extends org.h2.Driver {

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = super.connect(url, info);
        if (connection != null) {
            // the connection, opened first, keeps the database open while the leftovers are taken out
            LeftoverSweeper.once(url, () -> super.connect(url, info));
            StoreHousekeeping.once(url, connection);
        }
        return connection;
    }
}
