package org.courier.h2;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.ConnectionEventListener;
import javax.sql.StatementEventListener;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;

/** An H2 XA connection whose {@link XAResource} is a {@link RecoveringXAResource}; the rest is H2's. */
final class RecoverableXAConnection implements XAConnection {

    private final XAConnection h2;
    private final RecoveringXAResource resource;

    RecoverableXAConnection(XAConnection h2) throws SQLException {
        this.h2 = h2;
        this.resource = new RecoveringXAResource(h2.getXAResource());
    }

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return h2.getConnection();
    }

    @Override
    public void close() throws SQLException {
        h2.close();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        h2.addConnectionEventListener(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        h2.removeConnectionEventListener(listener);
    }

    @Override
    public void addStatementEventListener(StatementEventListener listener) {
        h2.addStatementEventListener(listener);
    }

    @Override
    public void removeStatementEventListener(StatementEventListener listener) {
        h2.removeStatementEventListener(listener);
    }
}
