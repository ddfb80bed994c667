package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;
import static org.courier.it.support.InOrderTestData.newQueueId;
import static org.courier.it.support.InOrderTestData.oneTo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.ReceiverLedger;
import org.courier.it.support.TestReceiver;
import org.courier.it.support.TestUser;
import org.courier.loader.CourierSend;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line sender ({@code loader} module) against the real server: a directory of XML
 * files is sent with its file names as message ids; sent again, every file is a DUPLICATE and
 * nothing is delivered twice; in order, the files go in name order; a bad file is reported with
 * Courier's fault and the exit code says so.
 */
@ExtendWith(ArquillianExtension.class)
class CourierSendIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @Test
    void aDirectoryIsSentOnceAndItsSecondSendingIsAllDuplicates() throws Exception {
        String sender = "CLI-" + hex(8);
        List<String> ids = write(dir, "order-" + hex(6) + "-", 5);
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            Run first = send("--sender", sender, "--interface", "Orders", dir.toString());
            assertThat(first.exit()).as(first.out()).isZero();
            assertThat(first.out()).contains("5 files: 5 accepted, 0 duplicates");
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(alpha).deliveredAll(sender, ids));

            Run again = send("--sender", sender, "--interface", "Orders", "--threads", "2", dir.toString());
            assertThat(again.exit()).as(again.out()).isZero();
            assertThat(again.out()).contains("5 files: 0 accepted, 5 duplicates");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    ReceiverLedger.of(alpha).repeats(sender) == 0);
        }
    }

    @Test
    void anInOrderQueueIsSentInFileNameOrder() throws Exception {
        String sender = "CLI-EOIO-" + hex(8);
        String queueId = newQueueId();
        List<String> ids = write(dir, "step-", 4);
        try (TestReceiver ordered = TestReceiver.start(18086)) {
            Run run = send("--sender", sender, "--interface", "InOrder", "--qos", "ExactlyOnceInOrder",
                    "--queue-id", queueId, dir.toString());
            assertThat(run.exit()).as(run.out()).isZero();
            await().atMost(DEADLINE).until(() -> ReceiverLedger.of(ordered).deliveredAll(sender, ids));
            assertThat(ReceiverLedger.of(ordered).messageIds(sender, queueId)).containsExactlyElementsOf(ids);
            assertThat(ReceiverLedger.of(ordered).sequences(sender, queueId)).containsExactlyElementsOf(oneTo(ids.size()));
        }
    }

    @Test
    void aRefusedFileIsReportedWithCourierFaultAndTheExitCodeIsOne() throws Exception {
        String sender = "CLI-BAD-" + hex(8);
        Files.writeString(dir.resolve("good-" + hex(6) + ".xml"), "<order><id>1</id></order>", UTF_8);
        Files.writeString(dir.resolve("bad-" + hex(6) + ".xml"), "this is not XML", UTF_8);
        try (TestReceiver alpha = TestReceiver.start(18081)) {
            Run run = send("--sender", sender, "--interface", "Orders", dir.toString());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.out()).contains("2 files: 1 accepted, 0 duplicates (accepted before), 1 faults")
                    .containsPattern("bad-\\w+\\.xml: INVALID_REQUEST");
        }
    }

    private static List<String> write(Path dir, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = prefix + i;
            Files.writeString(dir.resolve(id + ".xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<order xmlns=\"urn:example:orders\"><id>" + id + "</id></order>\n", UTF_8);
            ids.add(id);
        }
        return ids;
    }

    private static Run send(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] asUser = Stream.concat(Stream.of("--user", TestUser.INTEGRATION.name() + ":" + TestUser.INTEGRATION.password()),
                Arrays.stream(args)).toArray(String[]::new);
        int exit = CourierSend.run(asUser, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        return new Run(exit, out.toString(UTF_8) + err.toString(UTF_8));
    }

    private record Run(int exit, String out) {
    }
}
