package org.courier.call;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The idempotency record of a synchronous call: unique per (sender, message id), with the hash
 * of the request and, once the receiver answered, its response.
 */
@Entity
@Table(name = "COURIER_CALL")
@NamedQuery(name = StoredCall.BY_SENDER_AND_ID,
        query = "select c from StoredCall c where c.sender = :sender and c.messageId = :messageId")
public class StoredCall {

    static final String BY_SENDER_AND_ID = "StoredCall.bySenderAndId";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "SENDER", length = 60, nullable = false)
    private String sender;

    @Column(name = "MESSAGE_ID", length = 200, nullable = false)
    private String messageId;

    @Column(name = "INTERFACE_NAME", length = 120, nullable = false)
    private String interfaceName;

    @Column(name = "RECEIVER", length = 60, nullable = false)
    private String receiver;

    @Column(name = "REQUEST_HASH", length = 64, nullable = false)
    private String requestHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", length = 12, nullable = false)
    private CallState state;

    @Column(name = "ATTEMPT", nullable = false)
    private int attempt;

    @Column(name = "STARTED_AT", nullable = false)
    private Instant startedAt;

    @Column(name = "COMPLETED_AT")
    private Instant completedAt;

    @Column(name = "RESPONSE_STATUS")
    private Integer responseStatus;

    @Column(name = "RESPONSE_TYPE", length = 200)
    private String responseType;

    @Lob
    @Column(name = "RESPONSE_BODY")
    private String responseBody;

    @Column(name = "LAST_ERROR", length = 500)
    private String lastError;

    @Column(name = "REPLAYS", nullable = false)
    private int replays;

    @Column(name = "EXPIRES_AT", nullable = false)
    private Instant expiresAt;

    protected StoredCall() {
    }

    StoredCall(String sender, String messageId, String interfaceName, String receiver, String requestHash, Instant startedAt,
               Instant expiresAt) {
        this.id = UUID.randomUUID().toString();
        this.sender = sender;
        this.messageId = messageId;
        this.interfaceName = interfaceName;
        this.receiver = receiver;
        this.requestHash = requestHash;
        this.state = CallState.IN_PROGRESS;
        this.attempt = 1;
        this.startedAt = startedAt;
        this.expiresAt = expiresAt;
    }

    /** A detached snapshot. */
    CallRecord record() {
        return new CallRecord(id, sender, messageId, interfaceName, receiver, requestHash, state, attempt, startedAt,
                completedAt, responseStatus == null ? 0 : responseStatus, responseType, responseBody, lastError, replays,
                expiresAt);
    }
}
