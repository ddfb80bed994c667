package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.server.session.ServerSession;
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.routing.ConnectionSettings;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTP deliveries against a real SFTP server (Apache MINA SSHD's, in this JVM). */
class SftpDeliveriesTest {

    private static final String USER = "courier";
    private static final String PASSWORD = "sftp-pässword";

    @TempDir
    Path root;
    @TempDir
    Path config;

    private SshServer server;
    private KeyPair hostKey;
    private Path knownHosts;
    private SftpDeliveries sftp;
    private final AtomicInteger renames = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        hostKey = SecurityUtils.getKeyPairGenerator("EC").generateKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        SftpSubsystemFactory factory = new SftpSubsystemFactory();
        factory.addSftpEventListener(new SftpEventListener() {
            @Override
            public void moved(ServerSession session, Path source, Path destination, java.util.Collection<java.nio.file.CopyOption> options,
                              Throwable thrown) {
                if (thrown == null) {
                    renames.incrementAndGet();
                }
            }
        });
        server.setSubsystemFactories(List.of(factory));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
        Files.createDirectories(root.resolve("in"));
        knownHosts = config.resolve("courier-known-hosts");
        trust(hostKey);
        sftp = new SftpDeliveries(new SftpSessions(receiver -> new ReceiverIdentity(null, USER, PASSWORD.toCharArray(), "test rule"), knownHosts));
    }

    @AfterEach
    void stopServer() throws IOException {
        sftp.close();
        server.stop(true);
    }

    @Test
    void writesThePayloadAsOneFileNamedAfterTheMessageIdWithNoTemporaryFileLeft() throws IOException {
        ReceiverResponse response = sftp.deliver(receiver("/in"), delivery("order-1", "<order n='1'>ü</order>"));

        assertThat(response.success()).as(response.error()).isTrue();
        assertThat(Files.readString(root.resolve("in/order-1.xml"), StandardCharsets.UTF_8)).isEqualTo("<order n='1'>ü</order>");
        assertThat(namesIn(root.resolve("in"))).containsExactly("order-1.xml");
    }

    @Test
    void aRepeatOverwritesTheSameFileInsteadOfAddingOne() throws IOException {
        assertThat(sftp.deliver(receiver("/in"), delivery("order-2", "<order/>")).success()).isTrue();
        assertThat(sftp.deliver(receiver("/in/"), delivery("order-2", "<order/>")).success()).isTrue();

        assertThat(namesIn(root.resolve("in"))).containsExactly("order-2.xml");
        assertThat(renames).hasValue(2);
    }

    @Test
    void aSplitItemGetsAFileOfItsOwn() throws IOException {
        ReceivedMessage message = message("batch-7", "<items/>");
        assertThat(sftp.deliver(receiver("/in"), message.addDelivery("files", "item-1", 1, "<item>1</item>")).success()).isTrue();
        assertThat(sftp.deliver(receiver("/in"), message.addDelivery("files", "item-2", 2, "<item>2</item>")).success()).isTrue();

        assertThat(namesIn(root.resolve("in"))).containsExactlyInAnyOrder("batch-7.item-1.xml", "batch-7.item-2.xml");
        assertThat(Files.readString(root.resolve("in/batch-7.item-2.xml"))).isEqualTo("<item>2</item>");
    }

    @Test
    void fileNamesKeepEveryIdApartAndNeverMakeAHiddenOrNestedFile() {
        assertThat(SftpDeliveries.fileName("ORD-1_a.b", "")).isEqualTo("ORD-1_a.b.xml");
        assertThat(SftpDeliveries.fileName("a/b", "")).isEqualTo("a%2Fb.xml");
        assertThat(SftpDeliveries.fileName("../x", "")).isEqualTo("%2E.%2Fx.xml");
        assertThat(SftpDeliveries.fileName(".hidden", "")).isEqualTo("%2Ehidden.xml");
        assertThat(SftpDeliveries.fileName("a%2Fb", "")).isEqualTo("a%252Fb.xml");
        assertThat(SftpDeliveries.fileName("ü", "item 1")).isEqualTo("%C3%BC.item%201.xml");
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeTheCredentialsAreSent() throws Exception {
        Files.delete(knownHosts);
        AtomicInteger logins = new AtomicInteger();
        server.setPasswordAuthenticator((user, password, session) -> logins.incrementAndGet() > 0);

        ReceiverResponse response = sftp.deliver(receiver("/in"), delivery("order-3", "<order/>"));

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isTrue();
        assertThat(response.error()).contains("is not in " + knownHosts).contains("ssh-keyscan -p " + server.getPort() + " 127.0.0.1")
                .contains("SHA256:").contains("nothing was sent");
        assertThat(logins).hasValue(0);
        assertThat(namesIn(root.resolve("in"))).isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        trust(SecurityUtils.getKeyPairGenerator("EC").generateKeyPair());

        ReceiverResponse response = sftp.deliver(receiver("/in"), delivery("order-4", "<order/>"));

        assertThat(response.permanent()).isTrue();
        assertThat(response.error()).contains("is not the one in " + knownHosts);
        assertThat(namesIn(root.resolve("in"))).isEmpty();
    }

    @Test
    void aRefusedPasswordIsRefusedForGoodNamingTheUserAndTheRule() throws IOException {
        SftpDeliveries wrong = new SftpDeliveries(new SftpSessions(receiver -> new ReceiverIdentity(null, USER, "wrong".toCharArray(),
                "test rule"), knownHosts));
        try {
            ReceiverResponse response = wrong.deliver(receiver("/in"), delivery("order-5", "<order/>"));

            assertThat(response.permanent()).isTrue();
            assertThat(response.error()).contains("refused user \"courier\" (test rule)").doesNotContain("wrong");
        } finally {
            wrong.close();
        }
        assertThat(namesIn(root.resolve("in"))).isEmpty();
    }

    @Test
    void aServerThatIsDownIsAFailureToTryAgain() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ReceiverResponse response = sftp.deliver(receiver(URI.create("sftp://127.0.0.1:" + closedPort + "/in")),
                delivery("order-6", "<order/>"));

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isFalse();
        assertThat(response.error()).isEqualTo("connection refused by sftp://127.0.0.1:" + closedPort);
    }

    @Test
    void aMissingDirectoryIsAFailureThatHealsWhenTheDirectoryIsMade() throws IOException {
        ReceiverResponse response = sftp.deliver(receiver("/out"), delivery("order-7", "<order/>"));

        assertThat(response.success()).isFalse();
        assertThat(response.permanent()).isFalse();
        assertThat(response.error()).contains("SSH_FX_NO_SUCH_FILE").contains("/out/order-7.xml");

        Files.createDirectories(root.resolve("out"));
        assertThat(sftp.deliver(receiver("/out"), delivery("order-7", "<order/>")).success()).isTrue();
        assertThat(namesIn(root.resolve("out"))).containsExactly("order-7.xml");
    }

    private void trust(KeyPair key) throws IOException {
        Files.writeString(knownHosts, "# test\n[127.0.0.1]:" + server.getPort() + " "
                + PublicKeyEntry.toString(key.getPublic()) + "\n");
    }

    private ReceiverEndpoint receiver(String directory) {
        return receiver(URI.create("sftp://127.0.0.1:" + server.getPort() + directory));
    }

    private static ReceiverEndpoint receiver(URI url) {
        ConnectionSettings basic = new ConnectionSettings(ConnectionSettings.Authentication.BASIC, null, null,
                ConnectionSettings.Tls.SERVER, null, 0, 0);
        return new ReceiverEndpoint("files", url, Duration.ofSeconds(5), true, InDoubtPolicy.HOLD, null, null,
                ReceiverProtocol.SFTP, basic);
    }

    private static ReceivedMessage message(String messageId, String payload) {
        return new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null, payload, "hash");
    }

    private static Delivery delivery(String messageId, String payload) {
        return message(messageId, payload).addDelivery("files");
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
