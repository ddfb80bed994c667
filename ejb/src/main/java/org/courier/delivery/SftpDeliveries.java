package org.courier.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
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
 * final name. That is why an SFTP receiver is idempotent by construction.
 *
 * <p>The server is known by its host key, which must be in the known-hosts file
 * ({@code -Dcourier.sftp.known-hosts}, default {@code courier-known-hosts} in the server's
 * configuration directory; OpenSSH's format, as {@code ssh-keyscan} writes it): an unknown or
 * changed key is refused and nothing is sent. The user name and password come from WildFly Elytron
 * like an HTTP receiver's Basic credentials ({@link ReceiverIdentities}). Apache MINA SSHD is the
 * SSH and SFTP implementation.
 */
final class SftpDeliveries implements AutoCloseable {

    static final String KNOWN_HOSTS_PROPERTY = "courier.sftp.known-hosts";
    static final String DEFAULT_KNOWN_HOSTS = "courier-known-hosts";
    static final int DEFAULT_PORT = 22;
    /** The temporary name's prefix and suffix: hidden from pollers that skip dot files, and not ending in the final name's. */
    static final String TEMPORARY_PREFIX = ".";
    static final String TEMPORARY_SUFFIX = ".part";

    private final ReceiverIdentities identities;
    private final Path knownHosts;
    /** Started at the first SFTP delivery: most installations have no SFTP receiver. */
    private SshClient client;

    SftpDeliveries(ReceiverIdentities identities) {
        this(identities, knownHostsFile());
    }

    SftpDeliveries(ReceiverIdentities identities, Path knownHosts) {
        this.identities = identities;
        this.knownHosts = knownHosts;
    }

    private synchronized SshClient client() {
        if (client == null) {
            SshClient started = SshClient.setUpDefaultClient();
            // the key is checked against the known-hosts file before anything is sent (verifyHostKey)
            started.setServerKeyVerifier((session, address, key) -> true);
            started.start();
            client = started;
        }
        return client;
    }

    /** The known-hosts file in force: the system property, else the server's configuration directory. */
    static Path knownHostsFile() {
        String configured = System.getProperty(KNOWN_HOSTS_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        String configDir = System.getProperty("jboss.server.config.dir");
        return configDir == null ? Path.of(DEFAULT_KNOWN_HOSTS) : Path.of(configDir, DEFAULT_KNOWN_HOSTS);
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
        URI url = receiver.url();
        String host = url.getHost();
        int port = url.getPort() < 0 ? DEFAULT_PORT : url.getPort();
        String where = "sftp://" + host + ":" + port;
        ReceiverIdentity identity;
        try {
            identity = identities.of(receiver);
        } catch (ReceiverIdentities.IdentityMissing e) {
            return ReceiverResponse.refused(e.getMessage());
        }
        if (!identity.hasCredentials()) {
            return ReceiverResponse.refused("receiver \"" + receiver.name() + "\" has no user name and password for " + where);
        }
        String name = fileName(delivery.messageIdForReceiver(), delivery.part());
        String directory = directory(url);
        String target = directory + name;
        String temporary = directory + TEMPORARY_PREFIX + name + TEMPORARY_SUFFIX;
        byte[] content = delivery.payloadForReceiver().getBytes(StandardCharsets.UTF_8);
        Duration timeout = receiver.timeout();
        ClientSession session;
        try {
            session = client().connect(identity.name(), host, port).verify(timeout).getSession();
        } catch (IOException e) {
            return ReceiverResponse.failed(notConnected(where, timeout, e));
        }
        try (session) {
            CoreModuleProperties.IDLE_TIMEOUT.set(session, timeout);
            // the key exchange ends before authentication can begin: then the server's key is known
            Set<ClientSession.ClientSessionEvent> state = session.waitFor(
                    EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED), timeout);
            if (!state.contains(ClientSession.ClientSessionEvent.WAIT_AUTH)) {
                return ReceiverResponse.failed("no SSH key exchange with " + where + " within " + timeout.toSeconds() + " s");
            }
            String keyProblem = verifyHostKey(session, host, port, where);
            if (keyProblem != null) {
                return ReceiverResponse.refused(keyProblem);
            }
            session.addPasswordIdentity(new String(identity.secret()));
            try {
                session.auth().verify(timeout);
            } catch (IOException e) {
                return ReceiverResponse.refused(where + " refused user \"" + identity.name() + "\" (" + identity.source()
                        + "): " + oneLine(e) + "; sending again cannot help until its credentials are mended");
            }
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                try (OutputStream out = sftp.write(temporary, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate)) {
                    out.write(content);
                }
                replace(sftp, temporary, target);
            }
            return ReceiverResponse.delivered();
        } catch (SftpException e) {
            return ReceiverResponse.failed(where + " answered " + SftpConstants.getStatusName(e.getStatus()) + " writing "
                    + target + ": " + e.getMessage());
        } catch (IOException e) {
            return ReceiverResponse.failed(oneLine(e) + " writing " + target + " on " + where);
        }
    }

    /** The URL's path as a directory to prefix names with: "" (the user's home) or ending in "/". */
    static String directory(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        return path.isEmpty() ? "" : path.endsWith("/") ? path : path + "/";
    }

    /**
     * Renames the written file over the final name: OpenSSH's posix-rename where the server has it
     * (atomic, replaces), an overwriting rename on SFTP 5 and later, else removes the old file first
     * (a repeat: same content) and renames.
     */
    private static void replace(SftpClient sftp, String temporary, String target) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(temporary, target);
            return;
        }
        if (sftp.getVersion() >= SftpConstants.SFTP_V5) {
            sftp.rename(temporary, target, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
            return;
        }
        try {
            sftp.remove(target);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
        }
        sftp.rename(temporary, target);
    }

    /** Null if the server's key is in the known-hosts file for this host and port, else why not. */
    private String verifyHostKey(ClientSession session, String host, int port, String where) {
        PublicKey key = session.getServerKey();
        String shown = key == null ? "no key" : KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
        List<KnownHostEntry> entries;
        try {
            entries = Files.exists(knownHosts) ? KnownHostEntry.readKnownHostEntries(knownHosts) : List.of();
        } catch (IOException e) {
            return "the known-hosts file " + knownHosts + " cannot be read: " + oneLine(e);
        }
        boolean hostKnown = false;
        for (KnownHostEntry entry : entries) {
            if (!entry.isHostMatch(host, port) || entry.getKeyEntry() == null || "@revoked".equals(entry.getMarker())) {
                continue;
            }
            hostKnown = true;
            try {
                PublicKey known = entry.getKeyEntry().resolvePublicKey(session, entry.getKeyEntry().getLoginOptions(),
                        PublicKeyEntryResolver.IGNORING);
                if (known != null && KeyUtils.compareKeys(known, key)) {
                    return null;
                }
            } catch (IOException | java.security.GeneralSecurityException e) {
                // an entry of a key type this JVM cannot read: it cannot vouch for this key
            }
        }
        String line = (port == DEFAULT_PORT ? host : "[" + host + "]:" + port);
        return hostKnown
                ? "the host key of " + where + " (" + shown + ") is not the one in " + knownHosts + " for " + line
                        + ": nothing was sent; if the server's key was changed on purpose, replace its line there"
                : "the host key of " + where + " (" + shown + ") is not in " + knownHosts + ": nothing was sent; add it"
                        + " (ssh-keyscan -p " + port + " " + host + " >> " + knownHosts + ") once its fingerprint is checked";
    }

    private static String notConnected(String where, Duration timeout, IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectException) {
            return "connection refused by " + where;
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host of " + where;
        }
        if (e instanceof SshException && e.getMessage() != null && e.getMessage().contains("timeout")) {
            return "no connection to " + where + " within " + timeout.toSeconds() + " s";
        }
        return oneLine(e) + " connecting to " + where;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message.strip().replaceAll("\\s+", " "));
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
