package org.courier.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.courier.message.Delivery;
import org.courier.routing.ReceiverEndpoint;

/**
 * Delivers to SFTP receivers ({@code protocol="sftp"}, {@code url="sftp://host:port/directory"}):
 * the payload becomes one file in the directory, named after the message id the receiver gets
 * ({@link #fileName}), written under a hidden temporary name and then renamed over the final one.
 * A repeated delivery (a retry, a resend, a redelivery after a crash) writes the same name with the
 * same content: the directory never holds a message twice, and never a half-written file under a
 * final name. That is why an SFTP receiver is idempotent by construction. The session (host key,
 * credentials): {@link SftpSessions}.
 */
final class SftpDeliveries implements AutoCloseable {

    /** The temporary name's prefix and suffix: hidden from pollers that skip dot files, and not ending in the final name's. */
    static final String TEMPORARY_PREFIX = ".";
    static final String TEMPORARY_SUFFIX = ".part";

    private final SftpSessions sessions;

    SftpDeliveries(ReceiverIdentities identities) {
        this(new SftpSessions(identities));
    }

    SftpDeliveries(SftpSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * The file a delivery is written as: the message id the receiver gets, then the part (a split
     * item or multicast branch) if any, and {@code .xml}. Characters other than letters, digits,
     * {@code - _ .} are percent-encoded (UTF-8), and so is a leading dot, so that any message id
     * makes one plain file name and two ids never make the same one.
     */
    static String fileName(String messageId, String part) {
        return encode(messageId) + (part.isEmpty() ? "" : "." + encode(part)) + ".xml";
    }

    private static String encode(String text) {
        StringBuilder name = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && !name.isEmpty());
            if (plain) {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return name.toString();
    }

    ReceiverResponse deliver(ReceiverEndpoint receiver, Delivery delivery) {
        String name = fileName(delivery.messageIdForReceiver(), delivery.part());
        String directory = SftpSessions.directory(receiver.url());
        String target = directory + name;
        String temporary = directory + TEMPORARY_PREFIX + name + TEMPORARY_SUFFIX;
        byte[] content = delivery.payloadForReceiver().getBytes(StandardCharsets.UTF_8);
        try (SftpSessions.Session session = sessions.open(receiver)) {
            SftpClient sftp = session.sftp();
            try (OutputStream out = sftp.write(temporary, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                    SftpClient.OpenMode.Truncate)) {
                out.write(content);
            }
            SftpSessions.replace(sftp, temporary, target);
            return ReceiverResponse.delivered();
        } catch (SftpSessions.Unavailable e) {
            return e.permanent() ? ReceiverResponse.refused(e.getMessage()) : ReceiverResponse.failed(e.getMessage());
        } catch (SftpException e) {
            return ReceiverResponse.failed(SftpSessions.where(receiver) + " answered " + SftpConstants.getStatusName(e.getStatus())
                    + " writing " + target + ": " + e.getMessage());
        } catch (IOException e) {
            return ReceiverResponse.failed(SftpSessions.oneLine(e) + " writing " + target + " on " + SftpSessions.where(receiver));
        }
    }

    @Override
    public void close() {
        sessions.close();
    }
}
