package org.courier.access;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.courier.schema.SchemaMigrations;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real (in-memory H2) database with Courier's schema holding what operators look at, for tests
 * of the views within an operator's scope. Two senders, ERP and SHOP; ERP sends on two
 * interfaces (Orders, Invoices), SHOP on one (Orders). Each record is written as Courier writes it
 * (plain SQL); the beans under test read it through JPA ({@code operator-views-test}) with their
 * entity manager set by {@link #inject}.
 */
public final class OperatorData implements AutoCloseable {

    /** Every sender and interface. */
    public static final OperatorScope ALL = OperatorScope.EVERYTHING;
    /** All of ERP. */
    public static final OperatorScope ERP = new OperatorScope(Set.of("ERP"), null);
    /** ERP's orders only. */
    public static final OperatorScope ERP_ORDERS = new OperatorScope(Set.of("ERP"), Set.of("Orders"));
    /** Everybody's orders. */
    public static final OperatorScope ORDERS = new OperatorScope(null, Set.of("Orders"));
    /** Bound to no sender. */
    public static final OperatorScope NOBODY = new OperatorScope(Set.of(), null);

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final EntityManagerFactory emf;
    private int clock;

    public OperatorData() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        h2.setURL(url);
        SchemaMigrations.configure(h2, SchemaMigrations.Vendor.H2).migrate();
        emf = Persistence.createEntityManagerFactory("operator-views-test", Map.of("jakarta.persistence.jdbc.url", url));
    }

    /** The instant of the {@code n}-th acceptance of these tests (one second apart, from 2026-11-21T10:00:01Z). */
    public static Instant at(int n) {
        return T0.plusSeconds(n);
    }

    /** A message accepted now (each one a second after the last); its key. */
    public String message(String sender, String messageId, String interfaceName) {
        return message(sender, messageId, interfaceName, null, null);
    }

    /** A message of an in-order queue; its key. */
    public String message(String sender, String messageId, String interfaceName, String queueId, Long sequence) {
        String key = UUID.randomUUID().toString();
        execute("INSERT INTO COURIER_MESSAGE (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS, QUEUE_ID, SEQUENCE_NO,"
                + " PAYLOAD_HASH, PAYLOAD, ACCEPTED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", key, sender, messageId,
                interfaceName, queueId == null ? "EXACTLY_ONCE" : "EXACTLY_ONCE_IN_ORDER", queueId, sequence,
                "hash-" + messageId, "<order>" + messageId + "</order>", Timestamp.from(at(++clock)));
        return key;
    }

    /** A delivery of the message to the receiver in this state (one failed attempt unless PENDING or DELIVERED); its id. */
    public String delivery(String messageKey, String receiver, String state) {
        return delivery(messageKey, receiver, state, null, null);
    }

    /** A delivery in an in-order lane; its id. */
    public String delivery(String messageKey, String receiver, String state, String laneId, Long sequence) {
        String id = UUID.randomUUID().toString();
        int attempts = state.equals("PENDING") || state.equals("HELD") ? 0 : 1;
        execute("INSERT INTO COURIER_DELIVERY (ID, MESSAGE_KEY, RECEIVER, STATE, ATTEMPTS, LAST_ATTEMPT_AT, VERSION,"
                + " LANE_ID, SEQUENCE_NO) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)", id, messageKey, receiver, state, attempts,
                attempts == 0 ? null : Timestamp.from(at(clock)), laneId, sequence);
        return id;
    }

    /** An attempt of the delivery with this outcome (e.g. RETRIED_IN_DOUBT). */
    public void attempt(String deliveryId, String outcome) {
        execute("INSERT INTO COURIER_ATTEMPT (ID, DELIVERY_ID, STARTED_AT, ENDED_AT, OUTCOME) VALUES (?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), deliveryId, Timestamp.from(at(clock)), Timestamp.from(at(clock)), outcome);
    }

    /** An in-order queue of the sender; its key. */
    public String queue(String sender, String queueId, long lastSequence) {
        String key = UUID.randomUUID().toString();
        execute("INSERT INTO COURIER_QUEUE (ID, SENDER, QUEUE_ID, LAST_SEQUENCE, POLICY) VALUES (?, ?, ?, ?, 'BLOCK')",
                key, sender, queueId, lastSequence);
        return key;
    }

    /** A lane of the queue to the receiver, without a head yet; its id. */
    public String lane(String queueKey, String receiver) {
        String id = UUID.randomUUID().toString();
        execute("INSERT INTO COURIER_LANE (ID, QUEUE_KEY, RECEIVER) VALUES (?, ?, ?)", id, queueKey, receiver);
        return id;
    }

    /** Makes the delivery the lane's head. */
    public void head(String laneId, String deliveryId) {
        execute("UPDATE COURIER_LANE SET HEAD_DELIVERY_ID = ? WHERE ID = ?", deliveryId, laneId);
    }

    /** A stored idempotent call in this state. */
    public void call(String sender, String messageId, String interfaceName, String state) {
        execute("INSERT INTO COURIER_CALL (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, RECEIVER, REQUEST_HASH, STATE, ATTEMPT,"
                + " STARTED_AT, EXPIRES_AT) VALUES (?, ?, ?, ?, 'responder', 'h', ?, 1, ?, ?)", UUID.randomUUID().toString(),
                sender, messageId, interfaceName, state, Timestamp.from(at(++clock)), Timestamp.from(at(clock + 86_400)));
    }

    /** An audit row of an action on what (sender, interface; either null) by the actor. */
    public void audited(String actor, String action, String sender, String interfaceName) {
        execute("INSERT INTO COURIER_AUDIT (ID, ACTED_AT, ACTOR, ACTION, STATUS, SENDER, INTERFACE_NAME)"
                + " VALUES (?, ?, ?, ?, 200, ?, ?)", UUID.randomUUID().toString(), Timestamp.from(at(++clock)), actor,
                action, sender, interfaceName);
    }

    /** An id mapping of the source id in the context. */
    public void mapping(String sourceId, String context, String targetId, String format) {
        execute("INSERT INTO COURIER_ID_MAPPING (ID, SOURCE_ID, CONTEXT, TARGET_ID, FORMAT, MAPPING, CREATED_AT, EXPIRES_AT)"
                + " VALUES (?, ?, ?, ?, ?, 'STORED', ?, ?)", UUID.randomUUID().toString(), sourceId, context, targetId,
                format, Timestamp.from(at(clock)), Timestamp.from(at(clock + 86_400)));
    }

    /** Runs a statement with positional parameters. */
    public void execute(String sql, Object... parameters) {
        try (Connection connection = h2.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The database, for plain SQL. */
    public JdbcDataSource dataSource() {
        return h2;
    }

    /**
     * Runs {@code work} in a transaction of a fresh entity manager, which it sets as the field
     * {@code em} of every bean given: a bean method run as the container runs it.
     */
    public <T> T inTransaction(Function<EntityManager, T> work, Object... beans) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            for (Object bean : beans) {
                inject(bean, "em", em);
            }
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /** Sets a (private) field of a bean, as the container injects it. */
    public static void inject(Object bean, String field, Object value) {
        for (Class<?> type = bean.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field f = type.getDeclaredField(field);
                f.setAccessible(true);
                f.set(bean, value);
                return;
            } catch (NoSuchFieldException next) {
                // a field of the superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no field " + field + " in " + bean.getClass());
    }

    @Override
    public void close() {
        emf.close();
    }
}
