package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.courier.it.support.Senders;
import org.courier.it.support.SftpServer;
import org.junit.jupiter.api.Test;

/**
 * Files to an SFTP receiver (receiver {@code sftp-crash}, {@link SftpServer}) across a kill -9
 * under load: every acknowledged message ends as exactly one whole file named after its id, no
 * temporary file is left, and nothing else is in the directory; a file is written again only for
 * a delivery in flight at the kill (written, not yet recorded), and then over itself.
 */
class SftpCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(SftpCrashIT.class.getName());
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final String DIRECTORY = "crash";

    @Test
    void filesKilledOnTheirWayAreWrittenOnceWholeUnderTheirIds() throws Exception {
        String sender = "SFTP-CRASH-" + hex(8);
        try (SftpServer sftp = SftpServer.start(18116, Path.of("target", "sftp", "crash-" + sender))) {
            sftp.makeDirectory(DIRECTORY);
            // slower than the senders (each write held 250 ms): the kill finds acknowledged messages on their way,
            // some of them mid-file
            sftp.slowWrites(Duration.ofMillis(250));
            Senders.UnderLoad senders = Senders.underLoad(8, n -> "F" + n + "-" + hex(6),
                    id -> courier.send(sender, "SftpCrash", id, payload(id)));
            Set<String> acknowledged = senders.acknowledged();
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 100 && sftp.files(DIRECTORY).size() >= 40);

            crash();
            Set<String> writtenAtKill = new HashSet<>(sftp.files(DIRECTORY));
            long waitingAtKill = acknowledged.stream().filter(id -> !writtenAtKill.contains(id + ".xml")).count();
            senders.stop();
            sftp.slowWrites(Duration.ZERO);
            restart();

            // a real sender resends what it has no acknowledgement for, with the same id
            int resent = senders.resendUnknown(DEADLINE);
            assertThat(waitingAtKill).as("acknowledged messages not yet written at the kill").isPositive();
            await().atMost(DEADLINE).until(() -> database.delivered(sender) == acknowledged.size());
            assertThat(database.messages(sender)).isEqualTo(acknowledged.size());
            assertThat(sftp.files(DIRECTORY)).as("the directory: one file per acknowledged message, no temporary file")
                    .containsExactlyInAnyOrderElementsOf(acknowledged.stream().map(id -> id + ".xml").toList());
            List<String> rewritten = new ArrayList<>();
            for (String id : acknowledged) {
                assertThat(sftp.content(DIRECTORY, id + ".xml")).as("file %s.xml", id).isEqualTo(payload(id));
                if (sftp.renamesInto(id + ".xml") > 1) {
                    rewritten.add(id);
                }
            }
            assertThat(rewritten).as("files written again after the kill (in flight at it)")
                    .hasSizeLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
            LOG.info("kill -9 under load: " + acknowledged.size() + " messages acknowledged (" + waitingAtKill + " not yet"
                    + " written at the kill), " + resent + " unknown at the crash and resent; one whole file each, "
                    + rewritten.size() + " written again over themselves");
        }
    }

    private static String payload(String id) {
        return "<file xmlns=\"urn:courier:test\"><id>" + id + "</id><body>" + "x".repeat(2000) + "</body></file>";
    }
}
