package org.courier.web.soap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class OutageTest {

    @Test
    void aRefusedDatabaseConnectionIsAnOutage() {
        EJBException failure = new EJBException(new PersistenceException("EclipseLink-4002",
                new SQLException("Connection to localhost:5432 refused", "08001", new ConnectException("Connection refused"))));

        assertThat(Outage.ofDatabase(failure)).hasValue("database unavailable (ConnectException: Connection refused)");
    }

    @Test
    void aConnectionExceptionSqlStateIsAnOutage() {
        EJBException failure = new EJBException(new PersistenceException(new SQLException("terminating connection", "08006")));

        assertThat(Outage.ofDatabase(failure)).isPresent();
    }

    @Test
    void otherFailuresAreNot() {
        EJBException lockTimeout = new EJBException(new PersistenceException(new SQLException("lock timeout", "55P03")));

        assertThat(Outage.ofDatabase(lockTimeout)).isEmpty();
        assertThat(Outage.ofDatabase(new EJBException(new IllegalStateException("a bug")))).isEmpty();
    }
}
