package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.courier.it.support.BrokerJournal;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;

/**
 * A kill -9 once left a record in the broker's journal that no part of Artemis wrote (type -83,
 * garbage; CI, 2026-12-06): Artemis 2.44 hands a record of a type it does not know to the AMQP
 * mirror's ack manager, which could not read it and failed the broker's start, so the node could
 * not start until the journal was removed. The server is provisioned without the AMQP protocol
 * (Courier speaks core JMS only), and such a record is then skipped. This test plants one while
 * the server is down and requires the restarted server to deliver what was accepted before.
 */
class JournalRecordCrashIT extends KilledServerTest {

    /** The type of the record found in CI; no Artemis component writes it. */
    private static final byte UNKNOWN_TYPE = -83;

    @Test
    void aRecordOfATypeTheBrokerDoesNotKnowDoesNotStopItFromStarting() throws Exception {
        String sender = "JOURNAL-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            List<String> ids = acknowledgedWhileTheReceiverIsDown(receiver, sender, 10, 2);

            crash();
            BrokerJournal journal = BrokerJournal.ofTestServer();
            // a record the broker skips stays in its journal (an earlier run's may be there too); an id far
            // above the broker's own, which it hands out counting up
            long before = journal.records(UNKNOWN_TYPE);
            journal.append(Long.MAX_VALUE - before, UNKNOWN_TYPE, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            assertThat(journal.records(UNKNOWN_TYPE)).as("records of type %d in the journal", UNKNOWN_TYPE).isEqualTo(before + 1);
            receiver.restart();
            restart();

            await().atMost(Duration.ofSeconds(120)).until(() -> ReceiverLedger.of(receiver).deliveredAll(sender, ids));
            await().atMost(Duration.ofSeconds(60)).until(() -> database.delivered(sender) == ids.size());
        }
    }
}
