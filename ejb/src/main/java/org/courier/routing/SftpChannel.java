package org.courier.routing;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An inbound SFTP channel ({@code <sftp-channel>}): a directory on an SFTP server that Courier
 * polls; each file is one message from {@code sender} as {@code interfaceName}, its message id the
 * file's name, Exactly Once or, with a {@code queueId}, Exactly Once In Order in the order of
 * {@code orderBy}.
 *
 * @param name         the channel's name, unique; its Elytron rule's abstract type authority
 * @param url          {@code sftp://host[:port][/directory]}
 * @param inOrder      whether its messages are Exactly Once In Order (into {@code queueId})
 * @param queueId      the in-order queue, or {@code null}
 * @param orderBy      the order files are taken in
 * @param pollInterval how often the directory is looked at
 * @param archive      whether a taken file is moved into {@code archive/} (else deleted)
 * @param timeout      for connecting, logging in and each file operation
 */
public record SftpChannel(String name, URI url, String sender, String interfaceName, boolean inOrder, String queueId,
                          OrderBy orderBy, Duration pollInterval, boolean archive, Duration timeout) {

    /** The subdirectory taken files go to ({@code after="archive"}). */
    public static final String ARCHIVE = "archive";
    /** The subdirectory refused files go to, each with its reason in {@code <name>.reason.txt}. */
    public static final String ERROR = "error";

    /** The order of the files a poll takes. */
    public enum OrderBy {
        /** By file name (their UTF-16 order, as Java compares strings). */
        NAME,
        /** By modification time, then name. */
        MODIFIED
    }

    public SftpChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(orderBy, "orderBy");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The quality of service of its messages, as senders name it. */
    public String qualityOfService() {
        return inOrder ? "ExactlyOnceInOrder" : "ExactlyOnce";
    }

    /**
     * The channel as the SFTP connection code sees a server: an SFTP endpoint with the channel's
     * name (its Elytron rule), URL and timeout, a user and password from Elytron.
     */
    public ReceiverEndpoint endpoint() {
        ConnectionSettings basic = new ConnectionSettings(ConnectionSettings.Authentication.BASIC, null, null,
                ConnectionSettings.Tls.SERVER, null, 0, 0);
        return new ReceiverEndpoint(name, url, timeout, true, InDoubtPolicy.HOLD, null, null, ReceiverProtocol.SFTP, basic);
    }
}
