package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.InOrderTestData;
import org.courier.it.support.SapIdocInbound;
import org.courier.it.support.SapIdocInbound.Request;
import org.courier.it.support.Senders;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IDoc receivers (protocol {@code idoc}: SAP's IDoc inbound over SOAP; {@code idoc-xml}: plain
 * IDoc-XML with {@code X-TID}, as the SAP Business Connector takes it) against a peer that acts
 * as SAP documents its IDoc inbound ({@link SapIdocInbound}): every IDoc carries a 24-character
 * transaction id, the same on every attempt and resend, so that the receiving system posts it
 * once whatever reaches it twice, and IDocs in order are posted in their queue's order; a payload
 * that is not one IDoc is refused before anything is stored.
 */
@ExtendWith(ArquillianExtension.class)
class IdocReceiverIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TID = "[0-9A-F]{24}";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final String sender = "IDOC-" + UUID.randomUUID().toString().substring(0, 8);
    private SapIdocInbound sap;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startSap() {
        sap = SapIdocInbound.start(18115);
    }

    @AfterEach
    void stopSap() {
        sap.close();
    }

    /**
     * Twenty IDocs sent at once, and SAP's answer to the first requests lost after it posted them:
     * Courier sends those again with the same transaction id, SAP recognises them, and every IDoc
     * is posted once.
     */
    @Test
    void idocsWhoseAnswersAreLostArePostedOnceWithOneTransactionIdEach() throws Exception {
        sap.storeThenFail(8);
        List<String> orders = sendConcurrently("IdocOut", 20);

        await().atMost(DEADLINE).until(() -> orders.stream().allMatch(order -> delivered(order, "sap-idoc")));
        List<Request> repeated = new ArrayList<>();
        for (String order : orders) {
            List<Request> requests = sap.requestsFor(order);
            assertThat(requests).as("requests for order %s", order).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.path()).isEqualTo(SapIdocInbound.SOAP_PATH));
            Set<String> ids = requests.stream().map(Request::id).collect(Collectors.toSet());
            assertThat(ids).as("transaction ids of order %s over its %d requests", order, requests.size()).singleElement()
                    .satisfies(id -> assertThat(id).matches(TID));
            assertThat(requests.get(0).archiveKey()).isEqualTo("urn:sap.com:msgid=" + requests.get(0).id());
            if (requests.size() > 1) {
                repeated.add(requests.get(0));
            }
        }
        assertThat(repeated).as("IDocs sent again after SAP's answer was lost").hasSizeGreaterThanOrEqualTo(1);
        assertThat(sap.postedCount()).as("IDocs posted by SAP").isEqualTo(orders.size());
        assertThat(orders.stream().map(order -> sap.requestsFor(order).get(0).id()).distinct().count())
                .as("one transaction id per IDoc").isEqualTo(orders.size());
    }

    /**
     * IDocs Exactly Once In Order (SAP's serialized IDocs: one queue, posted in its order), SAP's
     * answers to the first requests lost after it posted them: each IDoc is posted once, with one
     * transaction id of its own, and they are posted in the queue's order: the next goes out only
     * once the one before is settled, its repeats included.
     */
    @Test
    void idocsInOrderArePostedOnceEachInTheQueuesOrderThroughLostAnswers() {
        sap.storeThenFail(3);
        String queueId = InOrderTestData.newQueueId();
        List<String> orders = InOrderTestData.ids(queueId, 10);
        for (String order : orders) {
            assertThat(courier.sendInOrder(sender, "IdocOut", order, queueId, SapIdocInbound.idoc(order)).result())
                    .isEqualTo("ACCEPTED");
        }

        await().atMost(DEADLINE).until(() -> orders.stream().allMatch(order -> delivered(order, "sap-idoc")));
        assertThat(sap.requests().stream().map(Request::orderNumber).filter(orders::contains).distinct().toList())
                .as("IDocs as SAP first got them").containsExactlyElementsOf(orders);
        assertThat(sap.requests().stream().filter(request -> request.orderNumber().equals(orders.get(0))).count())
                .as("requests for the first IDoc, whose answer was lost").isGreaterThan(1);
        assertThat(orders).allSatisfy(order -> assertThat(sap.requestsFor(order).stream().map(Request::id).distinct())
                .as("transaction ids of %s", order).singleElement().satisfies(id -> assertThat(id).matches(TID)));
        assertThat(orders.stream().map(order -> sap.requestsFor(order).get(0).id()).distinct().count())
                .as("one transaction id per IDoc").isEqualTo(orders.size());
        assertThat(sap.postedCount()).as("IDocs posted by SAP").isEqualTo(orders.size());
    }

    /**
     * An IDoc that went to the failure store while SAP was down, resent by an operator once it is
     * back, carries the transaction id of its first attempts.
     */
    @Test
    void anIdocResentFromTheFailureStoreKeepsItsTransactionId() throws Exception {
        sap.down(true);
        String order = sendConcurrently("IdocOut", 1).get(0);
        await().atMost(DEADLINE).until(() -> courier.status(sender, order).delivery("sap-idoc")
                .map(delivery -> delivery.state().equals("FAILED")).orElse(false));
        sap.down(false);
        assertThat(admin.resendDelivery(sender, order, "sap-idoc")).as("an operator's resend").isEqualTo("PENDING");

        await().atMost(DEADLINE).until(() -> delivered(order, "sap-idoc"));
        List<Request> requests = sap.requestsFor(order);
        assertThat(requests.stream().filter(request -> request.status() == 503)).as("requests while SAP was down")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(requests.stream().map(Request::archiveKey).distinct()).as("archive keys over %d requests", requests.size())
                .singleElement().satisfies(key -> assertThat(key).matches("urn:sap\\.com:msgid=" + TID));
        assertThat(sap.postedCount()).isEqualTo(1);
    }

    @Test
    void idocXmlCarriesTheTransactionIdInXTidAndArckey() throws Exception {
        List<String> orders = sendConcurrently("IdocXmlOut", 5);

        await().atMost(DEADLINE).until(() -> orders.stream().allMatch(order -> delivered(order, "bc-idoc")));
        for (String order : orders) {
            Request request = sap.requestsFor(order).get(0);
            assertThat(request.path()).isEqualTo(SapIdocInbound.BC_PATH);
            assertThat(request.tidHeader()).matches(TID);
            assertThat(request.archiveKey()).isEqualTo("urn:sap.com:msgid=" + request.tidHeader());
            assertThat(sap.posted(request.tidHeader())).isTrue();
        }
    }

    @Test
    void aPayloadThatIsNotOneIdocIsRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> courier.send(sender, "IdocOut", "not-an-idoc", "<order><id>1</id></order>"))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("INVALID_REQUEST");
                    assertThat(fault.retryable()).isFalse();
                    assertThat(fault.reason()).isEqualTo("receiver sap-idoc takes IDocs: an IDoc receiver takes one IDoc in"
                            + " IDoc-XML: a root element named after the IDoc type (here <order>) holding exactly one"
                            + " <IDOC BEGIN=\"1\">, not 0");
                });
        assertThatThrownBy(() -> courier.status(sender, "not-an-idoc"))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> assertThat(fault.code()).isEqualTo("UNKNOWN_MESSAGE"));
        assertThat(sap.requests()).isEmpty();
    }

    /** Sends {@code count} IDocs from 8 threads at once, each with its own message id and order number; the order numbers. */
    private List<String> sendConcurrently(String interfaceName, int count) throws Exception {
        return Senders.atOnce(count, n -> UUID.randomUUID().toString().substring(0, 10).toUpperCase(Locale.ROOT), order ->
                assertThat(courier.send(sender, interfaceName, order, SapIdocInbound.idoc(order)).result()).isEqualTo("ACCEPTED"));
    }

    private boolean delivered(String order, String receiver) {
        return courier.status(sender, order).delivery(receiver).map(delivery -> delivery.state().equals("DELIVERED")).orElse(false);
    }
}
