package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.ReceiverDelivery;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.ReceiverHealthAdmin;
import org.courier.it.support.ReceiverHealthAdmin.ReceiverCondition;
import org.courier.it.support.Senders;
import org.courier.it.support.SftpServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SFTP receivers ({@code protocol="sftp"}) against a real SFTP server ({@link SftpServer}): every
 * message becomes one file named after its message id, whole or not at all, with the user and
 * password from the server's Elytron; a full disk sends it to the failure store and an operator's
 * resend writes it; wrong credentials are refused for good and say whose; a Best Effort call,
 * which needs a response document, is refused.
 */
@ExtendWith(ArquillianExtension.class)
class SftpReceiverIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String DIRECTORY = "in/orders";

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final String sender = "SFTP-" + UUID.randomUUID().toString().substring(0, 8);
    private SftpServer sftp;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startSftp() {
        sftp = SftpServer.start(18116, Path.of("target", "sftp", "root-" + sender));
        sftp.makeDirectory(DIRECTORY);
    }

    @AfterEach
    void stopSftp() {
        sftp.close();
    }

    @Test
    void thirtyMessagesSentAtOnceBecomeThirtyWholeFilesNamedAfterTheirIds() throws Exception {
        List<String> ids = sendConcurrently("SftpOut", 30);

        await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> state(id, "sftp-files").equals("DELIVERED")));
        assertThat(sftp.files(DIRECTORY)).as("the directory, temporary files included")
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + ".xml").toList());
        for (String id : ids) {
            assertThat(sftp.content(DIRECTORY, id + ".xml")).isEqualTo(order(id));
            assertThat(sftp.renamesInto(id + ".xml")).as("files renamed into place as %s.xml", id).isEqualTo(1);
        }
    }

    @Test
    void aDiskThatRefusesWritesSendsTheMessageToTheFailureStoreAndAnOperatorsResendWritesIt() {
        sftp.refuseWrites(true);
        String id = "full-" + UUID.randomUUID();
        courier.send(sender, "SftpOut", id, order(id));

        await().atMost(DEADLINE).until(() -> state(id, "sftp-files").equals(CourierAdmin.FAILED));
        ReceiverDelivery failed = courier.status(sender, id).delivery("sftp-files").orElseThrow();
        // what an SFTP server says of a full disk: SFTP 3 has no status for it, OpenSSH answers SSH_FX_FAILURE
        assertThat(failed.lastError()).startsWith("sftp://127.0.0.1:18116 answered SSH_FX_FAILURE writing /in/orders/" + id + ".xml");
        assertThat(sftp.files(DIRECTORY)).isEmpty();

        sftp.refuseWrites(false);
        assertThat(admin.resendDelivery(sender, id, "sftp-files")).isEqualTo("PENDING");
        await().atMost(DEADLINE).until(() -> state(id, "sftp-files").equals("DELIVERED"));
        assertThat(sftp.files(DIRECTORY)).containsExactly(id + ".xml");
        assertThat(sftp.content(DIRECTORY, id + ".xml")).isEqualTo(order(id));
    }

    @Test
    void wrongCredentialsAreRefusedForGoodNamingTheUserAndTheirElytronRule() {
        String id = "wrong-" + UUID.randomUUID();
        courier.send(sender, "SftpWrongOut", id, order(id));

        await().atMost(DEADLINE).until(() -> state(id, "sftp-wrong").equals("ERROR"));
        ReceiverDelivery refused = courier.status(sender, id).delivery("sftp-wrong").orElseThrow();
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.lastError()).contains("sftp://127.0.0.1:18116 refused user \"courier\"")
                .contains("courier-receiver/sftp-wrong").doesNotContain("not-the-receiver-password");
        assertThat(sftp.files(DIRECTORY)).isEmpty();
    }

    @Test
    void theReceiversChannelIsShownToOperatorsWithoutWhatTheUrlMayHide() {
        ReceiverCondition files = new ReceiverHealthAdmin(admin).receivers().stream()
                .filter(receiver -> receiver.receiver().equals("sftp-files")).findFirst().orElseThrow();

        assertThat(files.json().getString("protocol")).isEqualTo("sftp");
        assertThat(files.json().getString("address")).isEqualTo("sftp://127.0.0.1:18116/in/orders");
        ReceiverCondition rm = new ReceiverHealthAdmin(admin).receivers().stream()
                .filter(receiver -> receiver.receiver().equals("rm-receiver")).findFirst().orElseThrow();
        assertThat(rm.json().getString("protocol")).isEqualTo("sap-rm");
        assertThat(rm.json().getString("address")).as("no query").isEqualTo("http://127.0.0.1:18097/rm");
    }

    @Test
    void aBestEffortCallToAnSftpReceiverIsRefusedAsNotSupported() {
        assertThatThrownBy(() -> courier.call(sender, "SftpOut", "call-1", order("call-1")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("NOT_SUPPORTED");
                    assertThat(fault.retryable()).isFalse();
                    assertThat(fault.reason()).contains("receiver 'sftp-files'").contains("takes sftp deliveries")
                            .contains("send it ExactlyOnce");
                });
        assertThat(sftp.files(DIRECTORY)).isEmpty();
    }

    private static String order(String id) {
        return "<order xmlns=\"urn:courier:test\"><id>" + id + "</id><line>ü &amp; ß</line></order>";
    }

    private String state(String id, String receiver) {
        return courier.status(sender, id).delivery(receiver).map(ReceiverDelivery::state).orElse("");
    }

    /** Sends {@code count} messages from 8 threads at once, each with its own id; the ids. */
    private List<String> sendConcurrently(String interfaceName, int count) throws Exception {
        return Senders.atOnce(count, n -> "order-" + UUID.randomUUID(), id ->
                assertThat(courier.send(sender, interfaceName, id, order(id)).result()).isEqualTo("ACCEPTED"));
    }
}
