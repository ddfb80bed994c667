package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.courier.it.support.SapIdocInbound;
import org.courier.it.support.SapIdocInbound.Request;
import org.junit.jupiter.api.Test;

/**
 * IDocs to SAP's IDoc inbound over SOAP (receiver {@code sap-idoc}, {@link SapIdocInbound})
 * across a kill -9 while they go out: SAP posts each IDoc once, because every request of an IDoc,
 * before and after the kill, carries the one transaction id stored with its message at
 * acceptance; requests are repeated only for deliveries in flight at the kill (SAP had posted the
 * IDoc, Courier had not recorded it).
 */
class IdocCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(IdocCrashIT.class.getName());
    private static final int IDOCS = 200;
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    @Test
    void idocsKilledOnTheirWayArePostedOnceUnderOneTransactionIdEach() throws Exception {
        String sender = "IDOC-CRASH-" + hex(8);
        try (SapIdocInbound sap = SapIdocInbound.start(18115)) {
            sap.delay(Duration.ofMillis(20));
            List<String> orders = send(sender, IDOCS);
            await().atMost(DEADLINE).until(() -> sap.requests().size() >= 40);
            crash();
            int requestsAtKill = sap.requests().size();
            restart();

            await().atMost(DEADLINE).until(() -> database.delivered(sender) == IDOCS);
            assertThat(requestsAtKill).as("requests before the kill").isLessThan(IDOCS);
            List<String> repeated = new ArrayList<>();
            for (String order : orders) {
                List<Request> requests = sap.requestsFor(order);
                Set<String> ids = requests.stream().map(Request::id).collect(Collectors.toSet());
                assertThat(ids).as("transaction ids of order %s over its %d requests", order, requests.size())
                        .singleElement().satisfies(id -> assertThat(sap.posted(id)).isTrue());
                if (requests.size() > 1) {
                    repeated.add(order);
                }
            }
            assertThat(sap.postedCount()).as("IDocs SAP posted").isEqualTo(IDOCS);
            assertThat(repeated).as("IDocs sent again after the kill (in flight at it)").hasSizeLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            LOG.info("kill -9 with " + requestsAtKill + " requests made: " + IDOCS + " IDocs posted once each; "
                    + repeated.size() + " sent again under their transaction id");
        }
    }

    /** {@code count} IDocs, each with its own order number (also its message id), from 8 senders at once. */
    private List<String> send(String sender, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String order = "O" + i + "-" + hex(8);
                sent.add(pool.submit(() -> {
                    assertThat(courier.send(sender, "IdocOut", order, idoc(order)).result()).isEqualTo("ACCEPTED");
                    return order;
                }));
            }
            List<String> orders = new ArrayList<>();
            for (Future<String> order : sent) {
                orders.add(order.get());
            }
            return orders;
        } finally {
            pool.shutdown();
        }
    }

    private static String idoc(String orderNumber) {
        return "<ORDERS05><IDOC BEGIN=\"1\"><EDI_DC40 SEGMENT=\"1\"><TABNAM>EDI_DC40</TABNAM><DIRECT>2</DIRECT>"
                + "<IDOCTYP>ORDERS05</IDOCTYP><MESTYP>ORDERS</MESTYP><SNDPRN>COURIER</SNDPRN><RCVPRN>Q01CLNT100</RCVPRN>"
                + "</EDI_DC40><E1EDK01 SEGMENT=\"1\"><BELNR>" + orderNumber + "</BELNR></E1EDK01></IDOC></ORDERS05>";
    }
}
