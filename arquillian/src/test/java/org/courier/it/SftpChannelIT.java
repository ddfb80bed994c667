package org.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.courier.it.support.InOrderTestData.hex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.SftpServer;
import org.courier.it.support.TestConfiguration;
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
 * Inbound SFTP channels ({@code <sftp-channel>}) against a real SFTP server ({@link SftpServer}):
 * each file of the channel's directory becomes one message, its id the file's name, delivered once
 * and the file moved into archive/; a file still growing is left until it settles; a file that is
 * not XML goes into error/ with its reason and nothing is stored; the same file put again is not a
 * second message; an in-order channel's files arrive in the order of their names. The channels are
 * put in force with a configuration reload for each test and taken out after it.
 */
@ExtendWith(ArquillianExtension.class)
class SftpChannelIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int RECEIVER_PORT = 18117;

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final String sender = "SFTPIN" + hex(6);
    private final String directory = "out/" + sender;
    private TestConfiguration configuration;
    private SftpServer sftp;
    private TestReceiver receiver;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void start() throws Exception {
        configuration = TestConfiguration.current(admin);
        sftp = SftpServer.start(18116, Path.of("target", "sftp", "channels"));
        sftp.makeDirectory(directory);
        receiver = TestReceiver.start(RECEIVER_PORT);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            configuration.restore();
        } finally {
            receiver.close();
            sftp.close();
        }
    }

    @Test
    void eachFileBecomesOneMessageNamedAfterItAndIsArchivedOnceStored() throws Exception {
        List<String> names = IntStream.rangeClosed(1, 20).mapToObj(n -> "order-" + n + ".xml").toList();
        for (String name : names) {
            put(name, order(name));
        }
        configuration.inForce("""
                <sftp-channel name="sftp-in" url="sftp://127.0.0.1:18116/%s" sender="%s" interface="SftpIn" poll-seconds="1"/>
                """.formatted(directory, sender));

        await().atMost(DEADLINE).until(() -> sftp.files(directory + "/archive").size() == names.size());
        assertThat(sftp.files(directory)).as("left in the directory").containsExactly("archive");
        await().atMost(DEADLINE).until(() -> names.stream().allMatch(name -> receiver.count(name) >= 1));
        for (String name : names) {
            assertThat(receiver.count(name)).as("deliveries of %s", name).isEqualTo(1);
            Arrival arrival = receiver.arrivalsOf(name).get(0);
            assertThat(arrival.sender()).isEqualTo(sender);
            assertThat(arrival.interfaceName()).isEqualTo("SftpIn");
            assertThat(arrival.body()).isEqualTo(order(name).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ""));
            assertThat(courier.status(sender, name).qualityOfService()).isEqualTo("ExactlyOnce");
        }
    }

    @Test
    void aFileStillBeingWrittenIsLeftUntilItStopsGrowing() throws Exception {
        configuration.inForce("""
                <sftp-channel name="sftp-in" url="sftp://127.0.0.1:18116/%s" sender="%s" interface="SftpIn" poll-seconds="1"/>
                """.formatted(directory, sender));
        Path growing = sftp.root().resolve(directory).resolve("growing.xml");
        Files.writeString(growing, "<order xmlns=\"urn:courier:test\"><lines>", UTF_8);

        // appended to every 300 ms for 4 s: at no poll (every second) is it the size it was at the one before
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Files.writeString(growing, "<line>ü</line>", UTF_8, StandardOpenOption.APPEND);
            return Files.exists(growing) && receiver.total() == 0;
        });
        Files.writeString(growing, "</lines></order>", UTF_8, StandardOpenOption.APPEND);

        await().atMost(DEADLINE).until(() -> receiver.count("growing.xml") == 1);
        assertThat(receiver.arrivalsOf("growing.xml").get(0).body()).startsWith("<order xmlns=\"urn:courier:test\"><lines><line>ü")
                .endsWith("</line></lines></order>");
        assertThat(sftp.files(directory + "/error")).isEmpty();
    }

    @Test
    void aFileThatIsNotXmlGoesToErrorWithItsReasonAndNothingIsStored() throws Exception {
        put("junk.xml", "this is not XML");
        put("good.xml", order("good.xml"));
        configuration.inForce("""
                <sftp-channel name="sftp-in" url="sftp://127.0.0.1:18116/%s" sender="%s" interface="SftpIn" poll-seconds="1"
                              after="delete"/>
                """.formatted(directory, sender));

        await().atMost(DEADLINE).until(() -> sftp.files(directory + "/error").size() == 2 && receiver.count("good.xml") == 1);
        assertThat(sftp.files(directory + "/error")).containsExactly("junk.xml", "junk.xml.reason.txt");
        assertThat(sftp.content(directory + "/error", "junk.xml.reason.txt")).startsWith("INVALID_REQUEST: the file is not one XML"
                + " document");
        assertThat(sftp.content(directory + "/error", "junk.xml")).isEqualTo("this is not XML");
        assertThat(sftp.files(directory)).as("good.xml deleted once stored (after=\"delete\")").containsExactly("error");
        assertThatThrownBy(() -> courier.status(sender, "junk.xml")).isInstanceOfSatisfying(CourierFaultException.class,
                fault -> assertThat(fault.code()).isEqualTo("UNKNOWN_MESSAGE"));
    }

    @Test
    void theSameFilePutAgainIsArchivedAgainNotDeliveredAgain() throws Exception {
        configuration.inForce("""
                <sftp-channel name="sftp-in" url="sftp://127.0.0.1:18116/%s" sender="%s" interface="SftpIn" poll-seconds="1"/>
                """.formatted(directory, sender));
        put("again.xml", order("again.xml"));
        await().atMost(DEADLINE).until(() -> sftp.files(directory + "/archive").contains("again.xml"));
        Files.delete(sftp.root().resolve(directory).resolve("archive/again.xml"));

        put("again.xml", order("again.xml"));
        await().atMost(DEADLINE).until(() -> sftp.files(directory + "/archive").contains("again.xml"));
        assertThat(sftp.files(directory)).containsExactly("archive");
        await().atMost(DEADLINE).until(() -> courier.status(sender, "again.xml").delivery("sftp-in-receiver")
                .map(delivery -> delivery.state().equals("DELIVERED")).orElse(false));
        assertThat(receiver.count("again.xml")).isEqualTo(1);
    }

    @Test
    void anInOrderChannelsFilesArriveInTheOrderOfTheirNames() throws Exception {
        List<String> names = IntStream.rangeClosed(1, 30).mapToObj(n -> "%03d.xml".formatted(n)).toList();
        List<String> lastFirst = new ArrayList<>(names);
        Collections.reverse(lastFirst);
        for (String name : lastFirst) {
            put(name, order(name));
        }
        String queueId = "Q" + hex(8).toUpperCase(Locale.ROOT);
        configuration.inForce("""
                <sftp-channel name="sftp-in-order" url="sftp://127.0.0.1:18116/%s" sender="%s" interface="SftpIn" poll-seconds="1"
                              quality-of-service="ExactlyOnceInOrder" queue-id="%s"/>
                """.formatted(directory, sender, queueId));

        await().atMost(DEADLINE).until(() -> names.stream().allMatch(name -> receiver.count(name) >= 1));
        List<Arrival> arrivals = receiver.arrivals().stream().filter(arrival -> sender.equals(arrival.sender())).toList();
        assertThat(arrivals).extracting(Arrival::messageId).containsExactlyElementsOf(names);
        assertThat(arrivals).extracting(Arrival::queueId).containsOnly(queueId);
        assertThat(arrivals).extracting(Arrival::sequence).isSorted();
    }

    private void put(String name, String content) throws Exception {
        Path target = sftp.root().resolve(directory).resolve(name);
        Path temporary = target.resolveSibling("." + name + ".tmp");
        Files.writeString(temporary, content, UTF_8);
        Files.move(temporary, target);
    }


    private static String order(String name) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<order xmlns=\"urn:courier:test\"><file>" + name
                + "</file><line>ü &amp; ß</line></order>";
    }
}
