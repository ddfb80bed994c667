package org.courier.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.schema.SchemaMigrations;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The idempotent step on a real database with Courier's schema: the step record and the step's
 * effect (a row in a test table) are written in one transaction, as a consumer's XA transaction
 * writes them in the server. Each "run" is one transaction; a run whose transaction fails is
 * run again, as a redelivered JMS message would be.
 */
class IdempotentStepTest {

    private static final int THREADS = 16;
    private static final Duration WINDOW = Duration.ofDays(430);

    private EntityManagerFactory emf;

    @BeforeEach
    void database() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        SchemaMigrations.configure(h2, SchemaMigrations.Vendor.H2).migrate();
        emf = Persistence.createEntityManagerFactory("steps-test", Map.of("jakarta.persistence.jdbc.url", url));
        inTransaction(em -> em.createNativeQuery("CREATE TABLE TEST_EFFECT (MESSAGE_KEY VARCHAR(300), WRITER INT)")
                .executeUpdate());
    }

    @AfterEach
    void close() {
        emf.close();
    }

    @Test
    void aStepRunsOnceAndIsSkippedAfterwards() {
        assertThat(run("archive", "ERP/1", 1)).isTrue();
        assertThat(run("archive", "ERP/1", 2)).isFalse();
        assertThat(run("archive", "ERP/2", 3)).isTrue();
        assertThat(run("notify", "ERP/1", 4)).as("another step of the same message").isTrue();

        assertThat(effects("ERP/1")).isEqualTo(2);
        assertThat(effects("ERP/2")).isEqualTo(1);
    }

    @Test
    void aRolledBackRunLeavesNoRecordSoTheStepRunsAgain() {
        assertThatThrownBy(() -> inTransaction(em -> {
            IdempotentStep.runOnce(em, "archive", "ERP/7", WINDOW, () -> {
                effect(em, "ERP/7", 1);
                throw new IllegalStateException("the step's target is down");
            });
            return null;
        })).hasMessageContaining("down");

        assertThat(run("archive", "ERP/7", 2)).isTrue();
        assertThat(effects("ERP/7")).isEqualTo(1);
    }

    /**
     * Sixteen transactions run the same step for the same message at once; each failed one is
     * run again until it commits or skips. Exactly one effect commits, with one record.
     */
    @RepeatedTest(5)
    void sixteenConcurrentRunsOfOneStepLeaveOneEffect() throws Exception {
        String key = "ERP/" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int writer = i;
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int attempt = 1; ; attempt++) {
                        try {
                            return run("archive", key, writer);
                        } catch (RuntimeException collided) {
                            if (attempt == 5) {
                                throw collided;
                            }
                        }
                    }
                }));
            }
            int ranNow = 0;
            for (Future<Boolean> run : runs) {
                ranNow += run.get() ? 1 : 0;
            }
            assertThat(ranNow).as("runs that did the effect").isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(effects(key)).isEqualTo(1);
        long records = inTransaction(em -> em.createQuery("select count(r) from StepRecord r where r.messageKey = :k",
                Long.class).setParameter("k", key).getSingleResult());
        assertThat(records).isEqualTo(1L);
    }

    private boolean run(String step, String key, int writer) {
        return inTransaction(em -> IdempotentStep.runOnce(em, step, key, WINDOW, () -> effect(em, key, writer)));
    }

    private static void effect(EntityManager em, String key, int writer) {
        em.createNativeQuery("INSERT INTO TEST_EFFECT (MESSAGE_KEY, WRITER) VALUES (?, ?)")
                .setParameter(1, key).setParameter(2, writer).executeUpdate();
    }

    private long effects(String key) {
        return inTransaction(em -> ((Number) em.createNativeQuery("SELECT COUNT(*) FROM TEST_EFFECT WHERE MESSAGE_KEY = ?")
                .setParameter(1, key).getSingleResult()).longValue());
    }

    private <T> T inTransaction(java.util.function.Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
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
    }
}
