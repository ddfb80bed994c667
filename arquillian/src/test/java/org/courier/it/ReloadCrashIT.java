package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.ids;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;
import static org.courier.it.support.InOrderTestData.order;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * A configuration reload across a hard crash: messages accepted on a route of the old file, the
 * file changed and reloaded (a receiver and a route added), messages accepted on the new route
 * from eight senders at once and as an in-order queue, and WildFly killed with SIGKILL while they
 * go out, then restarted. The restarted server has the reloaded file in force (the same version);
 * every message arrives, the queue in its order, and only deliveries in flight at the kill arrive
 * twice: a message keeps the deliveries it was given at its acceptance, whichever file is in force
 * when it goes out.
 */
class ReloadCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(ReloadCrashIT.class.getName());
    private static final int ADDED_PORT = 18113;
    private static final String ADDED = """
                <receiver name="reload-added" url="http://127.0.0.1:18113/added" timeout-seconds="5" idempotent="true"/>
                <route sender="*" interface="ReloadAdded"><to receiver="reload-added"/></route>
            """;
    private static final int BEFORE_THE_RELOAD = 100;
    private static final int AFTER_THE_RELOAD = 150;
    private static final int QUEUE_LENGTH = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    private final Path file = Path.of(System.getProperty("courier.test.config"));
    private final CourierAdmin admin = new CourierAdmin();

    @Test
    void killAfterAReloadKeepsTheNewFileInForceAndLosesNothing() throws Exception {
        freshServerAfterThisTest(); // the file is put back after the test, the configuration it reloaded stays in force
        String original = Files.readString(file, UTF_8);
        String sender = "RELOAD-CRASH-" + hex(8);
        try (TestReceiver kept = TestReceiver.start(RECEIVER_PORT);
             TestReceiver added = TestReceiver.start(ADDED_PORT)) {
            kept.delay(Duration.ofMillis(50));
            added.delay(Duration.ofMillis(300));
            List<String> old = sendConcurrently(sender, "Crash", BEFORE_THE_RELOAD, 8);

            Files.writeString(file, original.replace("</courier>", ADDED + "</courier>"), UTF_8);
            HttpResponse<String> reload = admin.reloadConfiguration();
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            String reloaded = Json.createReader(new StringReader(reload.body())).readObject().getString("version");

            List<String> single = sendConcurrently(sender, "ReloadAdded", AFTER_THE_RELOAD, 8);
            String queueId = newQueueId();
            List<String> queue = ids(queueId, QUEUE_LENGTH);
            for (String id : queue) {
                assertThat(courier.sendInOrder(sender, "ReloadAdded", id, queueId, order(queueId, id)).result())
                        .isEqualTo("ACCEPTED");
            }
            List<String> onTheNewRoute = new ArrayList<>(single);
            onTheNewRoute.addAll(queue);

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() ->
                    ReceiverLedger.of(added).deliveredIds(sender).size() >= 20);
            crash();
            int deliveredAtKill = ReceiverLedger.of(added).deliveredIds(sender).size();
            LOG.info("killed with " + deliveredAtKill + " of " + onTheNewRoute.size() + " delivered on the new route");
            assertThat(deliveredAtKill).as("messages on the new route delivered at the kill").isLessThan(onTheNewRoute.size());
            restart();

            JsonObject inForce = admin.configuration();
            assertThat(inForce.getString("version")).as("the version in force after the restart").isEqualTo(reloaded);
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                    ReceiverLedger.of(kept).deliveredAll(sender, old)
                            && ReceiverLedger.of(added).deliveredAll(sender, onTheNewRoute));
            int arrivals = kept.total() + added.total();
            await().during(SETTLED).atMost(SETTLED.plusSeconds(5)).until(() -> kept.total() + added.total() == arrivals);

            ReceiverLedger keptLedger = ReceiverLedger.of(kept);
            ReceiverLedger addedLedger = ReceiverLedger.of(added);
            LOG.info("kill -9 after a reload: " + (old.size() + onTheNewRoute.size()) + " acknowledged, all delivered; "
                    + (keptLedger.repeats(sender) + addedLedger.repeats(sender)) + " repeated arrivals");
            assertThat(keptLedger.repeats(sender) + addedLedger.repeats(sender))
                    .as("repeats (only deliveries in flight at the kill)").isLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            assertThat(addedLedger.repeated(sender).values()).as("arrivals per repeated message").allMatch(n -> n == 2);
            assertThat(addedLedger.messageIds(sender, queueId)).as("arrival order of queue %s", queueId)
                    .containsExactlyElementsOf(queue);
            assertThat(addedLedger.sequences(sender, queueId)).as("Courier-Sequence of queue %s", queueId)
                    .containsExactlyElementsOf(oneTo(queue.size()));
            assertThat(database.messages(sender)).isEqualTo(old.size() + onTheNewRoute.size());
        } finally {
            Files.writeString(file, original, UTF_8);
        }
    }
}
