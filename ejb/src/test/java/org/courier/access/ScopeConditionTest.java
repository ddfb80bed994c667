package org.courier.access;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scope as a query condition: its text, its parameters, and what it selects on a real database. */
class ScopeConditionTest {

    private final OperatorData data = new OperatorData();

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void anUnrestrictedScopeAddsNothing() {
        ScopeCondition jpql = ScopeCondition.jpql(OperatorScope.EVERYTHING, "m.sender", "m.interfaceName");
        ScopeCondition sql = ScopeCondition.sql(OperatorScope.EVERYTHING, "m.SENDER", "m.INTERFACE_NAME");

        assertThat(jpql.text()).isEmpty();
        assertThat(jpql.and()).isEmpty();
        assertThat(jpql.restricts()).isFalse();
        assertThat(sql.text()).isEmpty();
        assertThat(sql.parameters()).isEmpty();
    }

    @Test
    void sendersAndInterfacesBecomeInListsInSortedOrder() {
        OperatorScope scope = new OperatorScope(Set.of("SHOP", "ERP"), Set.of("Orders"));

        assertThat(ScopeCondition.jpql(scope, "m.sender", "m.interfaceName").and())
                .isEqualTo(" and (m.sender in :scopeSenders and m.interfaceName in :scopeInterfaces)");
        ScopeCondition sql = ScopeCondition.sql(scope, "m.SENDER", "m.INTERFACE_NAME");
        assertThat(sql.text()).isEqualTo("m.SENDER IN (?, ?) AND m.INTERFACE_NAME IN (?)");
        assertThat(sql.parameters()).containsExactly("ERP", "SHOP", "Orders");
    }

    @Test
    void aSideWithoutAColumnOrWithoutARestrictionIsLeftOut() {
        OperatorScope scope = new OperatorScope(Set.of("ERP"), Set.of("Orders"));

        assertThat(ScopeCondition.sql(scope, "q.SENDER", null).text()).isEqualTo("q.SENDER IN (?)");
        assertThat(ScopeCondition.sql(scope, null, "m.INTERFACE_NAME").parameters()).containsExactly("Orders");
        assertThat(ScopeCondition.jpql(new OperatorScope(null, Set.of("Orders")), "m.sender", "m.interfaceName").text())
                .isEqualTo("m.interfaceName in :scopeInterfaces");
    }

    @Test
    void aScopeBoundToNothingSelectsNothingWithoutAnEmptyInList() {
        assertThat(ScopeCondition.sql(OperatorData.NOBODY, "m.SENDER", "m.INTERFACE_NAME").text()).isEqualTo("1 = 0");
        assertThat(ScopeCondition.jpql(new OperatorScope(null, Set.of()), "m.sender", "m.interfaceName").text())
                .isEqualTo("1 = 0");
    }

    @Test
    void onTheDatabaseTheConditionSelectsExactlyWhatTheScopePermits() {
        data.message("ERP", "e-1", "Orders");
        data.message("ERP", "e-2", "Invoices");
        data.message("SHOP", "s-1", "Orders");

        assertThat(ids(OperatorData.ALL)).containsExactly("e-1", "e-2", "s-1");
        assertThat(ids(OperatorData.ERP)).containsExactly("e-1", "e-2");
        assertThat(ids(OperatorData.ERP_ORDERS)).containsExactly("e-1");
        assertThat(ids(OperatorData.ORDERS)).containsExactly("e-1", "s-1");
        assertThat(ids(OperatorData.NOBODY)).isEmpty();
        assertThat(ids(new OperatorScope(Set.of("ERP", "SHOP"), Set.of()))).isEmpty();
    }

    private List<String> ids(OperatorScope scope) {
        return data.inTransaction((EntityManager em) -> {
            ScopeCondition visible = ScopeCondition.jpql(scope, "m.sender", "m.interfaceName");
            List<String> viaJpql = visible.bind(em.createQuery("select m.messageId from ReceivedMessage m where 1 = 1"
                    + visible.and() + " order by m.messageId", String.class)).getResultList();
            ScopeCondition sql = ScopeCondition.sql(scope, "m.SENDER", "m.INTERFACE_NAME");
            var query = em.createNativeQuery("SELECT m.MESSAGE_ID FROM COURIER_MESSAGE m WHERE 1 = 1"
                    + sql.and() + " ORDER BY m.MESSAGE_ID");
            for (int i = 0; i < sql.parameters().size(); i++) {
                query.setParameter(i + 1, sql.parameters().get(i));
            }
            assertThat(query.getResultList()).as("native SQL agrees with JPQL for %s", scope).isEqualTo(viaJpql);
            return viaJpql;
        });
    }
}
