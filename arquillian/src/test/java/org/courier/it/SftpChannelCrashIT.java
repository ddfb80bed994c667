package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.SftpServer;
import org.courier.it.support.TestConfiguration;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestReceiver.Arrival;
import org.junit.jupiter.api.Test;

/**
 * An inbound SFTP channel in order (channel {@code sftp-in-crash}, {@link SftpServer}) across a
 * kill -9 while it takes its files: every file becomes exactly one message, whether the kill came
 * before, between or after its receipt and its move into archive/; the messages reach the
 * receiver in the order of the files' names; no file is left, none is refused.
 */
class SftpChannelCrashIT extends KilledServerTest {

    private static final Logger LOG = Logger.getLogger(SftpChannelCrashIT.class.getName());
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final int RECEIVER = 18117;
    private static final int FILES = 300;

    private final CourierAdmin admin = new CourierAdmin();

    @Test
    void filesTakenAcrossAKillBecomeOneMessageEachInTheirOrder() throws Exception {
        TestConfiguration configuration = TestConfiguration.current(admin);
        String sender = "SFTPIN-CRASH-" + hex(6);
        String directory = "crash-in/" + sender;
        String queueId = "Q" + hex(8).toUpperCase(Locale.ROOT);
        List<String> names = IntStream.rangeClosed(1, FILES).mapToObj(n -> "%04d.xml".formatted(n)).toList();
        try (SftpServer sftp = SftpServer.start(18116, Path.of("target", "sftp", "channels"));
             TestReceiver receiver = TestReceiver.start(RECEIVER)) {
            sftp.makeDirectory(directory);
            for (String name : names) {
                Files.writeString(sftp.root().resolve(directory).resolve(name), payload(name), UTF_8);
            }
            configuration.inForce("""
                    <sftp-channel name="sftp-in-crash" url="sftp://127.0.0.1:18116/%s" sender="%s" interface="SftpIn"
                                  poll-seconds="1" quality-of-service="ExactlyOnceInOrder" queue-id="%s"/>
                    """.formatted(directory, sender, queueId));

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> database.messages(sender) >= 60);
            crash();
            int archivedAtKill = sftp.files(directory + "/archive").size();
            long storedAtKill = database.messages(sender);
            restart();

            await().atMost(DEADLINE).until(() -> sftp.files(directory).equals(List.of("archive")));
            assertThat(sftp.files(directory + "/archive")).as("archived").containsExactlyElementsOf(names);
            assertThat(database.messages(sender)).as("messages stored").isEqualTo(FILES);
            assertThat(storedAtKill).as("stored at the kill").isLessThan(FILES);
            await().atMost(DEADLINE).until(() -> database.delivered(sender) == FILES);
            List<Arrival> arrivals = receiver.arrivals().stream().filter(arrival -> sender.equals(arrival.sender())).toList();
            assertThat(arrivals.stream().map(Arrival::messageId).distinct().toList()).as("first arrivals, in order")
                    .containsExactlyElementsOf(names);
            assertRepeatsOnlyOfDeliveriesInFlightAtAKill(receiver, sender, DELIVERIES_IN_FLIGHT);
            LOG.info("kill -9 while taking " + FILES + " files in order: " + storedAtKill + " stored and " + archivedAtKill
                    + " archived at the kill; after the restart every file one message, in order, "
                    + ReceiverLedger.of(receiver).repeats(sender) + " delivered again");
            // the configuration the test started with, in force again: the server goes on to the next test as it was
            configuration.restore();
        } finally {
            configuration.putBack();
        }
    }

    private static String payload(String name) {
        return "<file xmlns=\"urn:courier:test\"><name>" + name + "</name><body>" + "x".repeat(500) + "</body></file>";
    }
}
