package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.courier.access.OperatorScope;
import org.courier.schema.SchemaMigrations;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The ID mapper's race on a real database with Courier's schema and unique keys, outside the
 * server: 16 threads map the same (source id, context) at the same moment and must all get one
 * target id, with one record stored. Each store call runs in a transaction of its own, as the
 * container runs {@link IdMappingStore} and {@link SecretStore} (REQUIRES_NEW).
 */
class IdMapperConcurrencyTest {

    private static final int THREADS = 16;

    private EntityManagerFactory emf;
    private IdMapper mapper;

    @BeforeEach
    void database() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        SchemaMigrations.configure(h2, SchemaMigrations.Vendor.H2).migrate();
        emf = Persistence.createEntityManagerFactory("idmapping-test", Map.of("jakarta.persistence.jdbc.url", url));
        mapper = new IdMapper();
        inject(mapper, "store", transactional(IdMappingStore.class, IdMappingStore::new));
        inject(mapper, "secrets", transactional(SecretStore.class, SecretStore::new));
    }

    @AfterEach
    void close() {
        emf.close();
    }

    @RepeatedTest(5)
    void sixteenThreadsMappingOnePairGetOneTargetId() throws Exception {
        for (IdMappingRule rule : List.of(IdMappingRule.of("idoc-tid", "stored", 30), IdMappingRule.of("xi", "derived", 30))) {
            String source = "ERP/" + UUID.randomUUID();
            Set<String> targets = race(() -> mapper.map(source, "erp", rule));

            assertThat(targets).as(rule.mode() + " mapping").hasSize(1);
            assertThat(rule.format().problem(targets.iterator().next())).isEmpty();
            assertThat(mapper.bySource(OperatorScope.EVERYTHING, source)).hasSize(1);
        }
    }

    @Test
    void theDerivedSecretIsMadeOnceWhenManyAskFirst() throws Exception {
        IdMappingRule derived = IdMappingRule.of("xi", "derived", 30);
        Set<String> targets = race(() -> mapper.map("ERP/order-1", "erp", derived));

        assertThat(targets).hasSize(1);
        assertThat(mapper.map("ERP/order-1", "crm", derived)).isNotEqualTo(targets.iterator().next());
    }

    private Set<String> race(Callable<String> mapping) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return mapping.call();
                }));
            }
            Set<String> targets = new HashSet<>();
            for (Future<String> answer : answers) {
                targets.add(answer.get());
            }
            return targets;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * A store whose every call gets a fresh entity manager in a transaction of its own,
     * committed when the call returns and rolled back when it throws.
     */
    private <T> T transactional(Class<T> type, java.util.function.Supplier<T> create) {
        Function<Function<T, Object>, Object> inTransaction = call -> {
            EntityManager em = emf.createEntityManager();
            try {
                em.getTransaction().begin();
                T store = create.get();
                inject(store, "em", em);
                Object result = call.apply(store);
                em.getTransaction().commit();
                return result;
            } catch (RuntimeException e) {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                throw e;
            } finally {
                em.close();
            }
        };
        if (type == IdMappingStore.class) {
            return type.cast(new IdMappingStore() {
                @Override
                public java.util.Optional<IdMapping> find(String sourceId, String context) {
                    return cast(inTransaction.apply(s -> ((IdMappingStore) s).find(sourceId, context)));
                }

                @Override
                public IdMapping insert(String sourceId, String context, String targetId, IdMappingRule rule) {
                    return cast(inTransaction.apply(s -> ((IdMappingStore) s).insert(sourceId, context, targetId, rule)));
                }

                @Override
                public List<IdMapping> bySource(OperatorScope scope, String sourceId) {
                    return cast(inTransaction.apply(s -> ((IdMappingStore) s).bySource(scope, sourceId)));
                }
            });
        }
        return type.cast(new SecretStore() {
            @Override
            public java.util.Optional<String> find(String name) {
                return cast(inTransaction.apply(s -> ((SecretStore) s).find(name)));
            }

            @Override
            public String create(String name) {
                return cast(inTransaction.apply(s -> ((SecretStore) s).create(name)));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <R> R cast(Object value) {
        return (R) value;
    }

    private static void inject(Object target, String field, Object value) {
        try {
            Field f = target.getClass().getDeclaredField(field);
            f.setAccessible(true);
            f.set(target, value);
        } catch (NoSuchFieldException e) {
            try {
                Field f = target.getClass().getSuperclass().getDeclaredField(field);
                f.setAccessible(true);
                f.set(target, value);
            } catch (ReflectiveOperationException inner) {
                throw new IllegalStateException(inner);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
