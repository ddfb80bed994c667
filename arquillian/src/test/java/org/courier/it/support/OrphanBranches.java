package org.courier.it.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Leaves orphan branches in the stopped server's H2 database, as a crash between the database's
 * prepare and the transaction manager's log write does: a separate JVM opens the database file,
 * inserts one {@code COURIER_MESSAGE} row per message id in a branch of its own with a
 * Narayana-format xid of the server's node (and a transaction no log knows), prepares the
 * branches and halts. Until recovery rolls such a branch back, its row keeps that (sender,
 * message id) locked: a send of the id waits and is refused as temporarily unavailable.
 */
public final class OrphanBranches {

    /** Narayana's JTA format id. */
    private static final int NARAYANA_FORMAT = 131077;
    /** The length of a Narayana Uid in an xid. */
    private static final int UID_BYTES = 28;

    private OrphanBranches() {
    }

    /** Runs {@link #main} in a new JVM on the database at {@code url} and waits for it. */
    public static void leave(String url, String nodeName, String sender, List<String> messageIds) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), OrphanBranches.class.getName(), url, nodeName, sender));
        command.addAll(messageIds);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the JVM preparing orphan branches did not end normally");
        }
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource data = new JdbcDataSource();
        data.setURL(args[0]);
        data.setUser("sa");
        data.setPassword("sa");
        String nodeName = args[1];
        String sender = args[2];
        List<XAConnection> open = new ArrayList<>();
        for (String messageId : Arrays.asList(args).subList(3, args.length)) {
            XAConnection branch = data.getXAConnection();
            open.add(branch);
            XAResource resource = branch.getXAResource();
            Xid xid = orphanXid(nodeName);
            resource.start(xid, XAResource.TMNOFLAGS);
            try (PreparedStatement insert = branch.getConnection().prepareStatement("INSERT INTO COURIER_MESSAGE "
                    + "(ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS, PAYLOAD_HASH, PAYLOAD, ACCEPTED_AT) "
                    + "VALUES (?, ?, ?, 'Crash', 'ExactlyOnce', 'orphan', '<orphan/>', ?)")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, sender);
                insert.setString(3, messageId);
                insert.setTimestamp(4, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            resource.end(xid, XAResource.TMSUCCESS);
            resource.prepare(xid);
        }
        Runtime.getRuntime().halt(0);
    }

    /** Global id: a random Uid, then the node name; branch: a random Uid, EIS name 0, no subordinate. */
    private static Xid orphanXid(String nodeName) {
        byte[] node = nodeName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer global = ByteBuffer.allocate(UID_BYTES + node.length).put(randomUid()).put(node);
        ByteBuffer branch = ByteBuffer.allocate(UID_BYTES + 8).put(randomUid()).putInt(0).putInt(0);
        return new NarayanaXid(NARAYANA_FORMAT, global.array(), branch.array());
    }

    private static byte[] randomUid() {
        byte[] uid = new byte[UID_BYTES];
        ThreadLocalRandom.current().nextBytes(uid);
        return uid;
    }

    private record NarayanaXid(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier)
            implements Xid {
    }
}
