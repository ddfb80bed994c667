package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.courier.it.support.SapIdocInbound;
import org.courier.it.support.SapIdocInbound.Request;
import org.courier.it.support.Senders;
import org.junit.jupiter.api.Test;

/**
 * IDocs to SAP's IDoc inbound over SOAP (receiver {@code sap-idoc}, {@link SapIdocInbound})
 * across a kill -9 under load: SAP posts each acknowledged IDoc once, because every request of an
 * IDoc, before and after the kill, carries the one transaction id stored with its message at
 * acceptance; requests are repeated only for deliveries in flight at the kill (SAP had posted the
 * IDoc, Courier had not recorded it).
 */
class IdocCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(IdocCrashIT.class.getName());
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    @Test
    void idocsKilledOnTheirWayArePostedOnceUnderOneTransactionIdEach() throws Exception {
        String sender = "IDOC-CRASH-" + hex(8);
        try (SapIdocInbound sap = SapIdocInbound.start(18115)) {
            // slower than the senders (8 requests at once, the receiver's share, of 250 ms each): the kill finds
            // acknowledged IDocs on their way
            sap.delay(Duration.ofMillis(250));
            Senders.UnderLoad senders = Senders.underLoad(8, n -> "O" + n + "-" + hex(6),
                    order -> courier.send(sender, "IdocOut", order, SapIdocInbound.idoc(order)));
            Set<String> acknowledged = senders.acknowledged();
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 100 && sap.requests().size() >= 40);

            crash();
            Set<String> requestedAtKill = sap.requests().stream().map(Request::orderNumber).collect(Collectors.toSet());
            long waitingAtKill = acknowledged.stream().filter(order -> !requestedAtKill.contains(order)).count();
            senders.stop();
            restart();

            // a real sender resends what it has no acknowledgement for, with the same id
            int resent = senders.resendUnknown(DEADLINE);
            assertThat(waitingAtKill).as("acknowledged IDocs not yet sent to SAP at the kill").isPositive();
            await().atMost(DEADLINE).until(() -> database.delivered(sender) == acknowledged.size());
            assertThat(database.messages(sender)).isEqualTo(acknowledged.size());
            List<String> repeated = new ArrayList<>();
            for (String order : acknowledged) {
                List<Request> requests = sap.requestsFor(order);
                Set<String> ids = requests.stream().map(Request::id).collect(Collectors.toSet());
                assertThat(ids).as("transaction ids of order %s over its %d requests", order, requests.size())
                        .singleElement().satisfies(id -> assertThat(sap.posted(id)).isTrue());
                if (requests.size() > 1) {
                    repeated.add(order);
                }
            }
            assertThat(sap.postedCount()).as("IDocs SAP posted").isEqualTo(acknowledged.size());
            assertThat(repeated).as("IDocs sent again after the kill (in flight at it)").hasSizeLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            LOG.info("kill -9 under load: " + acknowledged.size() + " IDocs acknowledged (" + waitingAtKill + " not yet sent"
                    + " at the kill), " + resent + " unknown at the crash and resent; each posted once by SAP, "
                    + repeated.size() + " sent again under their transaction id");
        }
    }
}
