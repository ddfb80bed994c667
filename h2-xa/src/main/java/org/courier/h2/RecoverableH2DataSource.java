package org.courier.h2;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * H2's XA data source, configured the same way ({@code URL}, {@code user}, {@code password}),
 * whose connections roll back a crashed transaction's prepared branch when the transaction
 * manager's recovery asks them to, and whose database is rid of the entries a crash left over
 * before its first connection is handed out. H2's {@link JdbcDataSource} is final, so this one
 * wraps it; see {@link RecoveringXAResource} and {@link LeftoverSweeper} for the H2 defects this
 * works around.
 */
public class RecoverableH2DataSource implements XADataSource {

    private final JdbcDataSource h2 = new JdbcDataSource();

    /** The JDBC URL of the database ({@code jdbc:h2:...}). */
    public void setURL(String url) {
        h2.setURL(url);
    }

    public String getURL() {
        return h2.getURL();
    }

    public void setUser(String user) {
        h2.setUser(user);
    }

    public String getUser() {
        return h2.getUser();
    }

    public void setPassword(String password) {
        h2.setPassword(password);
    }

    public void setDescription(String description) {
        h2.setDescription(description);
    }

    public String getDescription() {
        return h2.getDescription();
    }

    /** An XA connection whose {@link XAResource} recovers as described above. */
    @Override
    public javax.sql.XAConnection getXAConnection() throws SQLException {
        javax.sql.XAConnection connection = h2.getXAConnection();
        // the connection, opened first, keeps the database open while the entries a crash left over are taken out
        LeftoverSweeper.once(h2.getURL(), h2::getConnection);
        return new RecoverableXAConnection(connection);
    }

    @Override
    public javax.sql.XAConnection getXAConnection(String user, String password) throws SQLException {
        javax.sql.XAConnection connection = h2.getXAConnection(user, password);
        LeftoverSweeper.once(h2.getURL(), () -> h2.getConnection(user, password));
        return new RecoverableXAConnection(connection);
    }

    @Override
    public PrintWriter getLogWriter() {
        return h2.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        h2.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        h2.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return h2.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return h2.getParentLogger();
    }
}
