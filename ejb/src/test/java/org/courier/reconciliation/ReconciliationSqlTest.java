package org.courier.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation's SQL within an operator's scope, on a real database: the window holds only
 * the messages the operator may see, so every count does, and a sender outside the scope reads as
 * one that sent nothing.
 */
class ReconciliationSqlTest {

    private final OperatorData data = new OperatorData();

    @BeforeEach
    void erpsMessages() {
        data.delivery(data.message("ERP", "o-1", "Orders"), "alpha", "DELIVERED");
        data.delivery(data.message("ERP", "o-2", "Orders"), "alpha", "FAILED");
        data.delivery(data.message("ERP", "i-1", "Invoices"), "alpha", "DELIVERED");
        data.message("ERP", "i-2", "Invoices");
        data.delivery(data.message("SHOP", "s-1", "Orders"), "alpha", "DELIVERED");
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void theCountsHoldTheScopesMessagesOnly() throws SQLException {
        assertThat(rows(OperatorData.ALL, "ERP", sql -> sql.states())).containsExactly("alpha DELIVERED 2", "alpha FAILED 1");
        assertThat(rows(OperatorData.ERP_ORDERS, "ERP", sql -> sql.states())).containsExactly("alpha DELIVERED 1",
                "alpha FAILED 1");
        assertThat(rows(OperatorData.ALL, "ERP", sql -> sql.messages()))
                .containsExactlyInAnyOrder("Invoices 0 1", "Invoices 1 1", "Orders 1 2");
        assertThat(rows(OperatorData.ORDERS, "ERP", sql -> sql.messages())).containsExactly("Orders 1 2");
    }

    @Test
    void aSenderOutsideTheScopeReadsAsOneThatSentNothing() throws SQLException {
        assertThat(rows(new OperatorScope(java.util.Set.of("SHOP"), null), "ERP", sql -> sql.messages())).isEmpty();
        assertThat(rows(OperatorData.NOBODY, "SHOP", sql -> sql.states())).isEmpty();
        assertThat(rows(OperatorData.ERP, "SHOP", sql -> sql.states())).isEmpty();
    }

    @Test
    void theScopesParametersComeAfterTheWindowAndBeforeAQuerysOwn() throws SQLException {
        assertThat(rows(OperatorData.ERP_ORDERS, "ERP", sql -> sql.withoutDelivery(), "Invoices")).isEmpty();
        assertThat(rows(OperatorData.ERP, "ERP", sql -> sql.withoutDelivery(), "Invoices")).containsExactly("i-2");
    }

    private interface Query {
        String of(ReconciliationSql sql);
    }

    /** Each row of the query over the whole day, its columns joined by spaces. */
    private List<String> rows(OperatorScope scope, String sender, Query query, Object... own) throws SQLException {
        ReconciliationSql sql = new ReconciliationSql(scope);
        List<Object> values = new ArrayList<>(List.of(sender, Timestamp.from(OperatorData.at(-3600)),
                Timestamp.from(OperatorData.at(3600))));
        values.addAll(sql.scopeParameters());
        values.addAll(List.of(own));
        List<String> rows = new ArrayList<>();
        try (Connection connection = data.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(query.of(sql))) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    List<String> columns = new ArrayList<>();
                    for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                        columns.add(result.getString(c));
                    }
                    rows.add(String.join(" ", columns));
                }
            }
        }
        return rows.stream().sorted().toList();
    }
}
