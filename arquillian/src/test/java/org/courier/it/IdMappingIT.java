package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierAdmin.MappedId;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Receivers that need message ids of their own form (routing: interface {@code Mapped} → {@code idoc},
 * IDoc TIDs, stored mappings; {@code as2}, AS2 Message-IDs, derived mappings): each gets its own
 * id, valid for its format, the same on every attempt, with the sender's id beside it; the admin
 * API finds the mappings both ways.
 */
@ExtendWith(ArquillianExtension.class)
class IdMappingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private TestReceiver idoc;
    private TestReceiver as2;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceivers() {
        idoc = TestReceiver.start(18092);
        as2 = TestReceiver.start(18093);
    }

    @AfterEach
    void stopReceivers() {
        idoc.close();
        as2.close();
    }

    @Test
    void eachReceiverGetsAValidIdOfItsFormThatStaysTheSameOnEveryAttempt() {
        String sender = "MAP-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        idoc.answer(500);

        assertThat(courier.send(sender, "Mapped", id, "<order><id>" + id + "</id></order>").result()).isEqualTo("ACCEPTED");
        await().atMost(DEADLINE).until(() -> idoc.arrivals().size() >= 1);
        idoc.answer(200);
        await().atMost(DEADLINE).until(() -> idoc.arrivals().stream().anyMatch(Arrival::answered2xx)
                && as2.arrivals().stream().anyMatch(Arrival::answered2xx));

        List<Arrival> tries = idoc.arrivals();
        assertThat(tries).hasSizeGreaterThanOrEqualTo(2);
        String tid = tries.get(0).messageId();
        assertThat(tid).matches("[0-9A-F]{24}");
        assertThat(tries).allSatisfy(arrival -> {
            assertThat(arrival.messageId()).as("the id of every attempt").isEqualTo(tid);
            assertThat(arrival.sourceMessageId()).isEqualTo(id);
        });
        String as2Id = as2.arrivals().get(0).messageId();
        assertThat(as2Id).matches("<[0-9a-f-]{36}@courier\\.test>");
        assertThat(as2.arrivals().get(0).sourceMessageId()).isEqualTo(id);

        Map<String, String> byContext = admin.idMappings(sender, id).stream()
                .collect(Collectors.toMap(MappedId::context, MappedId::targetId));
        assertThat(byContext).containsExactlyInAnyOrderEntriesOf(Map.of("idoc", tid, "as2", as2Id));
        assertThat(admin.idMappingsOfTarget(tid)).singleElement().satisfies(mapping -> {
            assertThat(mapping.sourceId()).isEqualTo(sender + "/" + id);
            assertThat(mapping.format()).isEqualTo("idoc-tid");
            assertThat(mapping.mapping()).isEqualTo("stored");
        });
        assertThat(admin.idMappingsOfTarget(as2Id)).singleElement()
                .satisfies(mapping -> assertThat(mapping.mapping()).isEqualTo("derived"));
    }

    @Test
    void aDuplicateSendMapsNothingNewAndDeliversNothingAgain() {
        String sender = "MAP-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        courier.send(sender, "Mapped", id, "<order/>");
        await().atMost(DEADLINE).until(() -> idoc.delivered() == 1 && as2.delivered() == 1);
        List<MappedId> first = admin.idMappings(sender, id);

        assertThat(courier.send(sender, "Mapped", id, "<order/>").result()).isEqualTo("DUPLICATE");

        assertThat(admin.idMappings(sender, id)).isEqualTo(first).hasSize(2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> idoc.total() == 1 && as2.total() == 1);
    }

    @Test
    void differentMessagesGetDifferentIds() {
        String sender = "MAP-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            courier.send(sender, "Mapped", "order-" + i, "<order/>");
        }
        await().atMost(DEADLINE).until(() -> idoc.delivered() == 5 && as2.delivered() == 5);

        assertThat(idoc.arrivals().stream().map(Arrival::messageId).distinct()).hasSize(5);
        assertThat(as2.arrivals().stream().map(Arrival::messageId).distinct()).hasSize(5);
    }

    @Test
    void anIdNoReceiverWasGivenHasNoMapping() {
        assertThat(admin.idMappingsOfTarget("NO-SUCH-ID")).isEmpty();
    }
}
