package org.courier.retention;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The compact trace a purged message leaves: which (sender, message id) Courier accepted, with
 * which payload hash and when, and when its full record was purged. Written by
 * {@link MessagePurge} in the transaction that deletes the message, so at every moment either
 * the message or its tombstone is there; removed after {@link RetentionPolicy#tombstones()}.
 * Read-only otherwise: rows are written and deleted with SQL, never changed.
 */
@Entity
@Table(name = "COURIER_TOMBSTONE")
@IdClass(TombstoneKey.class)
public class Tombstone {

    @Id
    @Column(name = "SENDER", length = 60)
    private String sender;

    @Id
    @Column(name = "MESSAGE_ID", length = 200)
    private String messageId;

    @Column(name = "PAYLOAD_HASH", length = 64, nullable = false)
    private String payloadHash;

    @Column(name = "ACCEPTED_AT", nullable = false)
    private Instant acceptedAt;

    @Column(name = "PURGED_AT", nullable = false)
    private Instant purgedAt;

    protected Tombstone() {
    }

    public String sender() {
        return sender;
    }

    public String messageId() {
        return messageId;
    }

    public String payloadHash() {
        return payloadHash;
    }

    public Instant acceptedAt() {
        return acceptedAt;
    }

    public Instant purgedAt() {
        return purgedAt;
    }
}
