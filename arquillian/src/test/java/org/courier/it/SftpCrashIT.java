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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
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
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        try (SftpServer sftp = SftpServer.start(18116, Path.of("target", "sftp", "crash-" + sender))) {
            sftp.makeDirectory(DIRECTORY);
            // slower than the senders (each write held 250 ms): the kill finds acknowledged messages on their way,
            // some of them mid-file
            sftp.slowWrites(Duration.ofMillis(250));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger numbers = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                loops.add(senders.submit(() -> sendWhile(running, sender, numbers, acknowledged, unknown)));
            }
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 100 && sftp.files(DIRECTORY).size() >= 40);

            crash();
            Set<String> writtenAtKill = new HashSet<>(sftp.files(DIRECTORY));
            long waitingAtKill = acknowledged.stream().filter(id -> !writtenAtKill.contains(id + ".xml")).count();
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            senders.shutdown();
            sftp.slowWrites(Duration.ZERO);
            restart();

            // a real sender resends what it has no acknowledgement for, with the same id
            for (String id : unknown) {
                sendUntilAcknowledged(sender, id);
                acknowledged.add(id);
            }
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
                    + " written at the kill), " + unknown.size() + " unknown at the crash and resent; one whole file each, "
                    + rewritten.size() + " written again over themselves");
        }
    }

    private static String payload(String id) {
        return "<file xmlns=\"urn:courier:test\"><id>" + id + "</id><body>" + "x".repeat(2000) + "</body></file>";
    }

    private void sendWhile(AtomicBoolean running, String sender, AtomicInteger numbers, Set<String> acknowledged,
                           Set<String> unknown) {
        while (running.get()) {
            String id = "F" + numbers.incrementAndGet() + "-" + hex(6);
            try {
                courier.send(sender, "SftpCrash", id, payload(id));
                acknowledged.add(id);
            } catch (RuntimeException noAnswer) {
                unknown.add(id);
            }
        }
    }

    /** Until acknowledged: a receipt the kill left in doubt answers TEMPORARILY_UNAVAILABLE until recovery resolves it. */
    private void sendUntilAcknowledged(String sender, String id) {
        await().atMost(DEADLINE).ignoreExceptions().until(() -> {
            courier.send(sender, "SftpCrash", id, payload(id));
            return true;
        });
    }
}
