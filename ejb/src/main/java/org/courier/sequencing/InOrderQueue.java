package org.courier.sequencing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.UUID;

/** A sender's in-order queue: numbers its messages 1, 2, 3 … in the order Courier accepts them. */
@Entity
@Table(name = "COURIER_QUEUE",
        uniqueConstraints = @UniqueConstraint(name = "UK_COURIER_QUEUE_SENDER_QUEUE", columnNames = {"SENDER", "QUEUE_ID"}))
@NamedQuery(name = InOrderQueue.BY_SENDER_AND_QUEUE_ID,
        query = "select q from InOrderQueue q where q.sender = :sender and q.queueId = :queueId")
public class InOrderQueue {

    public static final String BY_SENDER_AND_QUEUE_ID = "InOrderQueue.bySenderAndQueueId";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "SENDER", length = 60, nullable = false)
    private String sender;

    @Column(name = "QUEUE_ID", length = 16, nullable = false)
    private String queueId;

    @Column(name = "LAST_SEQUENCE", nullable = false)
    private long lastSequence;

    @Enumerated(EnumType.STRING)
    @Column(name = "POLICY", length = 8, nullable = false)
    private QueuePolicy policy;

    protected InOrderQueue() {
    }

    InOrderQueue(String sender, String queueId) {
        this.id = UUID.randomUUID().toString();
        this.sender = sender;
        this.queueId = queueId;
        this.policy = QueuePolicy.BLOCK;
    }

    /** The next message's place; call only while holding this row's lock. */
    long nextSequence() {
        return ++lastSequence;
    }

    void changePolicy(QueuePolicy policy) {
        this.policy = policy;
    }

    public String id() {
        return id;
    }

    public String sender() {
        return sender;
    }

    public String queueId() {
        return queueId;
    }

    public long lastSequence() {
        return lastSequence;
    }

    public QueuePolicy policy() {
        return policy;
    }
}
