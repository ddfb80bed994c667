package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import jakarta.ejb.EJBException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.courier.audit.AuditRecord;
import org.courier.audit.AuditSubject;
import org.courier.audit.AuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter's failure policy: an audit that cannot be stored leaves the action's answer alone and says so in one line. */
class AuditFilterFailureTest {

    private final Logger audit = Logger.getLogger(AuditFilter.LOGGER);
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<AuditRecord> stored = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        audit.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        audit.removeHandler(capture);
    }

    @Test
    void anActionIsLoggedAndStored() throws Exception {
        AuditFilter filter = filter(new AuditTrail() {
            @Override
            public void record(AuditRecord action) {
                stored.add(action);
            }
        });

        filter.filter(request("POST"), response(409));

        assertThat(stored).singleElement().satisfies(r -> {
            assertThat(r.actor()).isEqualTo("anonymous");
            assertThat(r.action()).isEqualTo("POST /api/queue/policy");
            assertThat(r.parameters()).isEqualTo("sender=ERP&queueId=A/B&policy=SKIP");
            assertThat(r.status()).isEqualTo(409);
        });
        assertThat(logged).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getMessage()).isEqualTo("anonymous POST /api/queue/policy sender=ERP&queueId=A/B&policy=SKIP -> 409");
        });
    }

    @Test
    void anAuditThatCannotBeStoredLeavesTheAnswerAloneAndSaysSoInOneLine() throws Exception {
        AuditFilter filter = filter(new AuditTrail() {
            @Override
            public void record(AuditRecord action) {
                throw new EJBException(new IllegalStateException("database down"));
            }
        });

        assertThatCode(() -> filter.filter(request("PUT"), response(200))).doesNotThrowAnyException();

        assertThat(logged).extracting(LogRecord::getLevel).containsExactly(Level.INFO, Level.WARNING);
        assertThat(logged.get(1).getMessage()).contains("Audit entry not stored for anonymous PUT /api/queue/policy")
                .contains("IllegalStateException: database down");
        assertThat(logged.get(1).getThrown()).as("no stack trace").isNull();
    }

    @Test
    void readsAreNotAudited() throws Exception {
        AuditFilter filter = filter(new AuditTrail() {
            @Override
            public void record(AuditRecord action) {
                stored.add(action);
            }
        });

        filter.filter(request("GET"), response(200));

        assertThat(stored).isEmpty();
        assertThat(logged).isEmpty();
    }

    @Test
    void aPayloadViewIsAuditedThoughItIsARead() throws Exception {
        AuditFilter filter = filter(new AuditTrail() {
            @Override
            public void record(AuditRecord action) {
                stored.add(action);
            }
        });

        filter.filter(request("GET", "/messages/payload/", "sender=ERP&messageId=order-4711"), response(200));
        filter.filter(request("GET", "messages/detail", "sender=ERP&messageId=order-4711"), response(200));

        assertThat(stored).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("GET /api/messages/payload");
            assertThat(r.parameters()).isEqualTo("sender=ERP&messageId=order-4711");
            assertThat(r.subject()).isEqualTo(new AuditSubject("ERP", null));
            assertThat(r.status()).isEqualTo(200);
        });
        assertThat(logged).singleElement().satisfies(line -> assertThat(line.getMessage())
                .isEqualTo("anonymous GET /api/messages/payload sender=ERP&messageId=order-4711 -> 200"));
    }

    @Test
    void theSubjectIsWhatTheResourceNamedElseTheSenderParameterElseNothingInParticular() throws Exception {
        AuditFilter filter = filter(new AuditTrail() {
            @Override
            public void record(AuditRecord action) {
                stored.add(action);
            }
        });

        filter.filter(request("POST", "delivery/cancel", "messageId=m&sender=SHOP&receiver=r"), response(404));
        filter.filter(request("POST", "failures/run", ""), response(403));
        filter.filter(request("POST", "delivery/cancel", "sender=SHOP&messageId=m&receiver=r",
                AuditSubject.message("SHOP", "Orders")), response(200));

        assertThat(stored).extracting(AuditRecord::subject).containsExactly(new AuditSubject("SHOP", null),
                AuditSubject.EVERYTHING, new AuditSubject("SHOP", "Orders"));
    }

    private static AuditFilter filter(AuditTrail trail) throws ReflectiveOperationException {
        AuditFilter filter = new AuditFilter();
        Field field = AuditFilter.class.getDeclaredField("trail");
        field.setAccessible(true);
        field.set(filter, trail);
        return filter;
    }

    private static ContainerRequestContext request(String method) {
        return request(method, "queue/policy", "sender=ERP&queueId=A%2FB&policy=SKIP");
    }

    private static ContainerRequestContext request(String method, String path, String query) {
        return request(method, path, query, null);
    }

    /** A request to {@code /courier/api/<path>?<query>}, whose resource named the subject (or not: null). */
    private static ContainerRequestContext request(String method, String path, String query, AuditSubject subject) {
        UriInfo uri = fake(UriInfo.class, Map.of("getPath", path, "getRequestUri",
                URI.create("http://localhost:8080/courier/api/" + path.replaceFirst("^/", "") + (query.isEmpty() ? "" : "?" + query))));
        Map<String, Object> answers = new java.util.HashMap<>(Map.of("getMethod", method, "getUriInfo", uri));
        if (subject != null) {
            answers.put("getProperty", subject);
        }
        return fake(ContainerRequestContext.class, answers);
    }

    private static ContainerResponseContext response(int status) {
        return fake(ContainerResponseContext.class, Map.of("getStatus", status));
    }

    /** An implementation answering these methods with these values, anything else with null. */
    private static <T> T fake(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answers.get(method.getName())));
    }
}
