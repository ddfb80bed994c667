package org.courier.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
import org.courier.routing.ReceiverEndpoint;

/**
 * SFTP sessions to the servers of SFTP receivers and channels: connected, the server known by its
 * host key, logged in. The key must be in the known-hosts file ({@code -Dcourier.sftp.known-hosts},
 * default {@code courier-known-hosts} in the server's configuration directory; OpenSSH's format, as
 * {@code ssh-keyscan} writes it): an unknown or changed key is refused before the credentials are
 * sent. The user name and password come from WildFly Elytron like an HTTP receiver's Basic
 * credentials ({@link ReceiverIdentities}), by the receiver's or channel's name. Apache MINA SSHD
 * is the SSH and SFTP implementation; its client starts with the first session.
 */
public final class SftpSessions implements AutoCloseable {

    static final String KNOWN_HOSTS_PROPERTY = "courier.sftp.known-hosts";
    static final String DEFAULT_KNOWN_HOSTS = "courier-known-hosts";
    static final int DEFAULT_PORT = 22;

    private final ReceiverIdentities identities;
    private final Path knownHosts;
    /** Started at the first session: most installations have no SFTP receiver or channel. */
    private SshClient client;

    public SftpSessions(ReceiverIdentities identities) {
        this(identities, knownHostsFile());
    }

    SftpSessions(ReceiverIdentities identities, Path knownHosts) {
        this.identities = identities;
        this.knownHosts = knownHosts;
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

    /** {@code sftp://host:port} of an endpoint, for messages. */
    public static String where(ReceiverEndpoint endpoint) {
        URI url = endpoint.url();
        return "sftp://" + url.getHost() + ":" + (url.getPort() < 0 ? DEFAULT_PORT : url.getPort());
    }

    /** The URL's path as a directory to prefix names with: "" (the user's home) or ending in "/". */
    public static String directory(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        return path.isEmpty() ? "" : path.endsWith("/") ? path : path + "/";
    }

    /** What an SFTP server answered to an operation, in one line. */
    public static String answer(SftpException e) {
        return SftpConstants.getStatusName(e.getStatus()) + ": " + e.getMessage();
    }

    /**
     * Renames {@code from} over {@code to}: OpenSSH's posix-rename where the server has it (atomic,
     * replaces), an overwriting rename on SFTP 5 and later, else removes {@code to} first and renames.
     */
    public static void replace(SftpClient sftp, String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(from, to);
            return;
        }
        if (sftp.getVersion() >= SftpConstants.SFTP_V5) {
            sftp.rename(from, to, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
            return;
        }
        try {
            sftp.remove(to);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
        }
        sftp.rename(from, to);
    }

    /**
     * A logged-in session to the endpoint's server, with its SFTP client, each operation bound by
     * the endpoint's timeout.
     *
     * @throws Unavailable if there is none: {@link Unavailable#permanent()} when only an operator can
     *                     mend it (the host key, the credentials), else worth trying again
     */
    public Session open(ReceiverEndpoint endpoint) throws Unavailable {
        URI url = endpoint.url();
        String host = url.getHost();
        int port = url.getPort() < 0 ? DEFAULT_PORT : url.getPort();
        String where = where(endpoint);
        ReceiverIdentity identity;
        try {
            identity = identities.of(endpoint);
        } catch (ReceiverIdentities.IdentityMissing e) {
            throw new Unavailable(e.getMessage(), true);
        }
        if (!identity.hasCredentials()) {
            throw new Unavailable("\"" + endpoint.name() + "\" has no user name and password for " + where, true);
        }
        Duration timeout = endpoint.timeout();
        ClientSession session;
        try {
            session = client().connect(identity.name(), host, port).verify(timeout).getSession();
        } catch (IOException e) {
            throw new Unavailable(notConnected(where, timeout, e), false);
        }
        try {
            CoreModuleProperties.IDLE_TIMEOUT.set(session, timeout);
            // the key exchange ends before authentication can begin: then the server's key is known
            Set<ClientSession.ClientSessionEvent> state = session.waitFor(
                    EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED), timeout);
            if (!state.contains(ClientSession.ClientSessionEvent.WAIT_AUTH)) {
                throw new Unavailable("no SSH key exchange with " + where + " within " + timeout.toSeconds() + " s", false);
            }
            String keyProblem = verifyHostKey(session, host, port, where);
            if (keyProblem != null) {
                throw new Unavailable(keyProblem, true);
            }
            session.addPasswordIdentity(new String(identity.secret()));
            try {
                session.auth().verify(timeout);
            } catch (IOException e) {
                throw new Unavailable(where + " refused user \"" + identity.name() + "\" (" + identity.source() + "): "
                        + oneLine(e) + "; trying again cannot help until its credentials are mended", true);
            }
            return new Session(session, SftpClientFactory.instance().createSftpClient(session));
        } catch (IOException e) {
            closeQuietly(session);
            throw new Unavailable(oneLine(e) + " opening SFTP on " + where, false);
        } catch (Unavailable e) {
            closeQuietly(session);
            throw e;
        }
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
            } catch (IOException | GeneralSecurityException e) {
                // an entry of a key type this JVM cannot read: it cannot vouch for this key
            }
        }
        String line = port == DEFAULT_PORT ? host : "[" + host + "]:" + port;
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

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message.strip().replaceAll("\\s+", " "));
    }

    private static void closeQuietly(ClientSession session) {
        try {
            session.close();
        } catch (IOException e) {
            // closing a session that failed: nothing more to learn from it
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }

    /** A logged-in SFTP session; closing it closes the SFTP channel and the SSH session. */
    public static final class Session implements AutoCloseable {
        private final ClientSession ssh;
        private final SftpClient sftp;

        Session(ClientSession ssh, SftpClient sftp) {
            this.ssh = ssh;
            this.sftp = sftp;
        }

        public SftpClient sftp() {
            return sftp;
        }

        @Override
        public void close() throws IOException {
            try (ssh) {
                sftp.close();
            }
        }
    }

    /** No session: why, and whether only an operator can mend it. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean permanent;

        Unavailable(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
