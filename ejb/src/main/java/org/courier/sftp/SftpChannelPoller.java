package org.courier.sftp;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.courier.content.XmlPayload;
import org.courier.delivery.ReceiverIdentities;
import org.courier.delivery.SftpSessions;
import org.courier.ingest.Acknowledgement;
import org.courier.ingest.ChannelRounds;
import org.courier.ingest.MessageReceipt;
import org.courier.ingest.RequestRejected;
import org.courier.ingest.SendCommand;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;
import org.courier.routing.SftpChannel;

/**
 * Takes the files of the inbound SFTP channels ({@code <sftp-channel>}) into Courier: a second after
 * each round it looks at each channel whose poll interval has passed; each file is one message of the
 * channel's sender and interface, its message id the file's name, accepted exactly as a sender's
 * {@code send} is ({@link MessageReceipt}), and only then moved into {@code archive/} (or deleted).
 *
 * <p>Exactly once per file: a file is moved only after its message is stored; if Courier dies in
 * between, the next poll takes the file again, the receipt answers DUPLICATE for its name, and the
 * file is moved then. A file is taken once its size and modification time are the same at two
 * polls in a row (a file still being written is left until it stops growing); names starting with
 * {@code .} are never taken (the usual temporary names). A file refused for good (not XML, an id
 * that is no message id, a payload too large, the same name with other content) goes into
 * {@code error/} with {@code <name>.reason.txt}; a refusal a retry can mend (Courier busy) leaves it
 * for the next poll. In order ({@code ExactlyOnceInOrder}): files are taken in the channel's order,
 * and one that cannot be taken yet holds back all after it.
 *
 * <p>Every node polls; two nodes taking the same file store one message (the receipt's unique
 * key), and in order the second node's receipt of a file waits for the first's. A poll that cannot
 * reach the server logs one line when that starts and one when it ends.
 */
@Singleton
@Startup
@DependsOn("RoutingTable")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SftpChannelPoller {

    static final long TICK_MILLIS = 1000;
    static final String REASON_SUFFIX = ".reason.txt";

    private static final Logger LOG = Logger.getLogger(SftpChannelPoller.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private RoutingTable routing;

    @EJB
    private MessageReceipt receipt;

    @Inject
    private ReceiverIdentities identities;

    private SftpSessions sessions;
    private final Map<String, ChannelState> states = new ConcurrentHashMap<>();

    /** What a channel's last poll saw: when it ran, each file's size and time, and the trouble it is in. */
    private static final class ChannelState {
        Instant lastPoll = Instant.EPOCH;
        Map<String, Seen> seen = Map.of();
        String trouble;
    }

    private record Seen(long size, long modified) {
    }

    @PostConstruct
    void schedule() {
        sessions = new SftpSessions(identities);
        ChannelRounds.next(timers, Duration.ofMillis(TICK_MILLIS), "courier-sftp-channels");
    }

    @PreDestroy
    void close() {
        sessions.close();
    }

    /** One round over the channels that are due; the next a second after it ends ({@link ChannelRounds}). */
    @Timeout
    void tick() {
        try {
            Instant now = Instant.now();
            for (SftpChannel channel : routing.configuration().sftpChannels()) {
                ChannelState state = states.computeIfAbsent(channel.name(), name -> new ChannelState());
                if (!state.lastPoll.plus(channel.pollInterval()).isAfter(now)) {
                    state.lastPoll = now;
                    poll(channel, state);
                }
            }
        } finally {
            ChannelRounds.next(timers, Duration.ofMillis(TICK_MILLIS), "courier-sftp-channels");
        }
    }

    private void poll(SftpChannel channel, ChannelState state) {
        ReceiverEndpoint endpoint = channel.endpoint();
        String directory = SftpSessions.directory(channel.url());
        String where = SftpSessions.where(endpoint) + directory;
        try (SftpSessions.Session session = sessions.open(endpoint)) {
            SftpClient sftp = session.sftp();
            List<SftpClient.DirEntry> files = files(sftp, directory);
            Map<String, Seen> seen = new HashMap<>();
            files.forEach(file -> seen.put(file.getFilename(), seenOf(file)));
            Map<String, Seen> before = state.seen;
            state.seen = seen;
            int taken = 0;
            for (SftpClient.DirEntry file : ordered(files, channel)) {
                String name = file.getFilename();
                if (!seen.get(name).equals(before.get(name))) {
                    if (channel.inOrder()) {
                        break; // not settled yet: the files after it wait for it
                    }
                    continue;
                }
                if (!take(channel, sftp, directory, name)) {
                    if (channel.inOrder()) {
                        break; // left for the next poll: the files after it wait for it
                    }
                    continue;
                }
                taken++;
            }
            if (state.trouble != null) {
                LOG.info("SFTP channel " + channel.name() + ": " + where + " reached again");
                state.trouble = null;
            }
            if (taken > 0) {
                int count = taken;
                LOG.fine(() -> "SFTP channel " + channel.name() + ": " + count + " files taken from " + where);
            }
        } catch (SftpSessions.Unavailable | IOException | RuntimeException e) {
            String trouble = e instanceof SftpException sftpError ? where + " answered " + SftpSessions.answer(sftpError)
                    : e instanceof SftpSessions.Unavailable ? e.getMessage() : e.getClass().getSimpleName() + " " + e.getMessage();
            if (!trouble.equals(state.trouble)) {
                LOG.warning("SFTP channel " + channel.name() + ": no files taken from " + where + " (tried again every "
                        + channel.pollInterval().toSeconds() + " s): " + trouble);
                state.trouble = trouble;
            }
        }
    }

    /** The directory's plain files that may be messages: not hidden, not the subdirectories. */
    private static List<SftpClient.DirEntry> files(SftpClient sftp, String directory) throws IOException {
        List<SftpClient.DirEntry> files = new ArrayList<>();
        // the directory's own name, without the trailing slash some servers refuse
        String path = directory.isEmpty() ? "." : directory.length() > 1 ? directory.substring(0, directory.length() - 1) : directory;
        try {
            for (SftpClient.DirEntry entry : sftp.readDir(path)) {
                if (entry.getAttributes().isRegularFile() && !entry.getFilename().startsWith(".")) {
                    files.add(entry);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the listing reads on as it is iterated
        }
        return files;
    }

    private static Seen seenOf(SftpClient.DirEntry file) {
        SftpClient.Attributes attributes = file.getAttributes();
        return new Seen(attributes.getSize(), attributes.getModifyTime() == null ? 0 : attributes.getModifyTime().toMillis());
    }

    static List<SftpClient.DirEntry> ordered(List<SftpClient.DirEntry> files, SftpChannel channel) {
        Comparator<SftpClient.DirEntry> byName = Comparator.comparing(SftpClient.DirEntry::getFilename);
        Comparator<SftpClient.DirEntry> order = channel.orderBy() == SftpChannel.OrderBy.MODIFIED
                ? Comparator.<SftpClient.DirEntry>comparingLong(file -> seenOf(file).modified()).thenComparing(byName) : byName;
        return files.stream().sorted(order).toList();
    }

    /**
     * One file: stored as a message, then moved out of the directory; or refused and moved into
     * error/; true if it left the directory, false if it stays for the next poll.
     */
    private boolean take(SftpChannel channel, SftpClient sftp, String directory, String name) throws IOException {
        String path = directory + name;
        byte[] content;
        try (InputStream in = sftp.read(path)) {
            content = in.readAllBytes();
        }
        try {
            String payload = XmlPayload.write(XmlPayload.parse(content).getDocumentElement());
            Acknowledgement acknowledgement = receipt.accept(new SendCommand(channel.sender(), channel.interfaceName(), name,
                    channel.qualityOfService(), channel.queueId(), payload));
            LOG.fine(() -> "SFTP channel " + channel.name() + ": " + path + " " + acknowledgement.result());
        } catch (XmlPayload.UnreadablePayload notXml) {
            refuse(channel, sftp, directory, name, "INVALID_REQUEST: the file is not one XML document: " + notXml.getMessage());
            return true;
        } catch (RequestRejected rejected) {
            if (rejected.retryable()) {
                LOG.info("SFTP channel " + channel.name() + ": " + path + " left for the next poll: " + rejected.code() + ": "
                        + rejected.getMessage());
                return false;
            }
            refuse(channel, sftp, directory, name, rejected.code() + ": " + rejected.getMessage());
            return true;
        } catch (EJBException busy) {
            LOG.info("SFTP channel " + channel.name() + ": " + path + " left for the next poll: Courier could not store it now");
            return false;
        }
        try {
            if (channel.archive()) {
                moveInto(sftp, directory, SftpChannel.ARCHIVE, name);
            } else {
                sftp.remove(path);
            }
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
            // gone: another node, which took the same file, moved it first (its receipt was the DUPLICATE)
        }
        return true;
    }

    /** A file refused for good goes into error/, with why in {@code <name>.reason.txt} beside it. */
    private void refuse(SftpChannel channel, SftpClient sftp, String directory, String name, String reason) throws IOException {
        LOG.info("SFTP channel " + channel.name() + ": " + directory + name + " refused, moved into " + SftpChannel.ERROR
                + "/: " + reason);
        makeDirectory(sftp, directory + SftpChannel.ERROR);
        try (OutputStream out = sftp.write(directory + SftpChannel.ERROR + "/" + name + REASON_SUFFIX)) {
            out.write((reason + "\n").getBytes(StandardCharsets.UTF_8));
        }
        moveInto(sftp, directory, SftpChannel.ERROR, name);
    }

    /** Renames the file into the subdirectory (made if missing), replacing a file of the same name there. */
    private static void moveInto(SftpClient sftp, String directory, String subdirectory, String name) throws IOException {
        makeDirectory(sftp, directory + subdirectory);
        SftpSessions.replace(sftp, directory + name, directory + subdirectory + "/" + name);
    }

    private static void makeDirectory(SftpClient sftp, String path) throws IOException {
        try {
            sftp.stat(path);
        } catch (SftpException missing) {
            if (missing.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw missing;
            }
            sftp.mkdir(path);
        }
    }
}
