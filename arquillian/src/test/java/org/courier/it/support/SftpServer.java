package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server for the SFTP receivers' tests (Apache MINA SSHD's, in the test JVM: it lives on
 * when the tests kill Courier). User {@value #USER} with the password the test server's Elytron
 * holds for receivers {@code sftp-files} and {@code sftp-crash} (src/test/cli/test-receivers.sh);
 * its files under {@code root}. Its host key is kept under target/sftp, and written to the
 * known-hosts file Courier reads ({@code -Dcourier.test.sftp.known-hosts}) as an operator would
 * with ssh-keyscan.
 *
 * <p>Counts, per final file name, how often a file was renamed into place (a repeat overwrites:
 * counted twice, one file); {@link #refuseWrites(boolean)} fails every file opened for writing
 * (a full disk), {@link #slowWrites(Duration)} holds every write that long (deliveries in flight
 * when Courier is killed).
 */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "courier-files";
    private static final String PASSWORD = "sftp-receiver-password";

    private final SshServer server;
    private final Path root;
    private final Map<String, AtomicInteger> renamedInto = new ConcurrentHashMap<>();
    private volatile boolean refuseWrites;
    private volatile Duration writeDelay = Duration.ZERO;

    private SftpServer(SshServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    /** Starts on loopback {@code port} serving {@code root} (made if missing), and trusts itself in Courier's known-hosts file. */
    public static SftpServer start(int port, Path directory) {
        // MINA's virtual file system lists directories only under an absolute root
        Path root = directory.toAbsolutePath();
        try {
            Files.createDirectories(root);
            Path keys = Path.of(System.getProperty("courier.test.sftp.known-hosts")).getParent();
            Files.createDirectories(keys);
            SshServer ssh = SshServer.setUpDefaultServer();
            SftpServer sftp = new SftpServer(ssh, root);
            ssh.setHost("127.0.0.1");
            ssh.setPort(port);
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(keys.resolve("host-key"));
            hostKeys.setAlgorithm("EC");
            ssh.setKeyPairProvider(hostKeys);
            ssh.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
            SftpSubsystemFactory factory = new SftpSubsystemFactory();
            factory.addSftpEventListener(sftp.new Events());
            ssh.setSubsystemFactories(List.of(factory));
            ssh.setFileSystemFactory(new VirtualFileSystemFactory(root));
            ssh.start();
            KeyPair key = hostKeys.loadKeys(null).iterator().next();
            Files.writeString(Path.of(System.getProperty("courier.test.sftp.known-hosts")),
                    "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic()) + "\n", UTF_8);
            return sftp;
        } catch (IOException e) {
            throw new IllegalStateException("the test SFTP server cannot start on port " + port, e);
        }
    }

    public Path root() {
        return root;
    }

    public void makeDirectory(String directory) {
        try {
            Files.createDirectories(root.resolve(directory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the files in {@code directory} (relative to the root), sorted; none if it does not exist. */
    public List<String> files(String directory) {
        Path dir = root.resolve(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String content(String directory, String name) {
        try {
            return Files.readString(root.resolve(directory).resolve(name), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often a file was renamed into place under this name. */
    public int renamesInto(String name) {
        AtomicInteger count = renamedInto.get(name);
        return count == null ? 0 : count.get();
    }

    public void refuseWrites(boolean refuse) {
        this.refuseWrites = refuse;
    }

    public void slowWrites(Duration delay) {
        this.writeDelay = delay;
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Events implements SftpEventListener {
        @Override
        public void opening(ServerSession session, String remoteHandle, Handle localHandle)
                throws IOException {
            if (refuseWrites && localHandle instanceof FileHandle file && file.getOpenOptions().contains(StandardOpenOption.WRITE)) {
                throw new IOException("no space left on device (the test's refuseWrites)");
            }
        }

        @Override
        public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                            int dataOffset, int dataLen) throws IOException {
            Duration delay = writeDelay;
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }

        @Override
        public void moved(ServerSession session, Path source, Path destination, Collection<CopyOption> options, Throwable thrown) {
            if (thrown == null) {
                renamedInto.computeIfAbsent(destination.getFileName().toString(), name -> new AtomicInteger()).incrementAndGet();
            }
        }
    }
}
