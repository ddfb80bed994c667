package org.courier.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.courier.cluster.ClusterNode;

/**
 * A message Courier has accepted: the idempotency record of (sender, message id) and the
 * payload it delivers. The unique key on (sender, message id) decides which of two
 * concurrent sends of one id is the first; the payload hash tells a retry from a
 * conflicting reuse of the id.
 */
@Entity
@Table(name = "COURIER_MESSAGE",
        uniqueConstraints = @UniqueConstraint(name = "UK_COURIER_MESSAGE_SENDER_ID", columnNames = {"SENDER", "MESSAGE_ID"}))
@NamedQuery(name = ReceivedMessage.BY_SENDER_AND_ID,
        query = "select m from ReceivedMessage m where m.sender = :sender and m.messageId = :messageId")
public class ReceivedMessage {

    public static final String BY_SENDER_AND_ID = "ReceivedMessage.bySenderAndId";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "SENDER", length = 60, nullable = false)
    private String sender;

    @Column(name = "MESSAGE_ID", length = 200, nullable = false)
    private String messageId;

    @Column(name = "INTERFACE_NAME", length = 120, nullable = false)
    private String interfaceName;

    @Enumerated(EnumType.STRING)
    @Column(name = "QOS", length = 24, nullable = false)
    private QualityOfService qualityOfService;

    @Column(name = "QUEUE_ID", length = 16)
    private String queueId;

    @Column(name = "SEQUENCE_NO")
    private Long sequenceNo;

    @Column(name = "PAYLOAD_HASH", length = 64, nullable = false)
    private String payloadHash;

    @Lob
    @Column(name = "PAYLOAD", nullable = false)
    private String payload;

    @Column(name = "ACCEPTED_AT", nullable = false)
    private Instant acceptedAt;

    /** The node that accepted it ({@link ClusterNode}); null for rows of versions before 12. */
    @Column(name = "ACCEPTED_BY", length = 23)
    private String acceptedBy;

    @OneToMany(mappedBy = "message")
    @OrderBy("receiver")
    private List<Delivery> deliveries = new ArrayList<>();

    protected ReceivedMessage() {
    }

    public ReceivedMessage(String sender, String messageId, String interfaceName,
                           QualityOfService qualityOfService, String queueId,
                           String payload, String payloadHash) {
        this.id = UUID.randomUUID().toString();
        this.sender = sender;
        this.messageId = messageId;
        this.interfaceName = interfaceName;
        this.qualityOfService = qualityOfService;
        this.queueId = queueId;
        this.payload = payload;
        this.payloadHash = payloadHash;
        // Millisecond precision survives every database's timestamp type, so the
        // acknowledgement of a duplicate shows exactly the time of the first one.
        this.acceptedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.acceptedBy = ClusterNode.ID;
    }

    public Delivery addDelivery(String receiver) {
        Delivery delivery = new Delivery(this, receiver);
        deliveries.add(delivery);
        return delivery;
    }

    /** A delivery of one part of this message to a receiver (a branch, a split item, or both). */
    public Delivery addDelivery(String receiver, String part, int partNo, String partPayload) {
        Delivery delivery = part.isEmpty() && partPayload == null ? new Delivery(this, receiver)
                : new Delivery(this, receiver, part, partNo, partPayload);
        deliveries.add(delivery);
        return delivery;
    }

    /** Exactly Once In Order: the message's place in its queue, given once at acceptance. */
    public void assignSequence(long sequence) {
        this.sequenceNo = sequence;
    }

    public String queueId() {
        return queueId;
    }

    public Long sequenceNo() {
        return sequenceNo;
    }

    public String payloadHash() {
        return payloadHash;
    }

    public String id() {
        return id;
    }

    public String sender() {
        return sender;
    }

    public String messageId() {
        return messageId;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public QualityOfService qualityOfService() {
        return qualityOfService;
    }

    public String payload() {
        return payload;
    }

    public Instant acceptedAt() {
        return acceptedAt;
    }

    public String acceptedBy() {
        return acceptedBy;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }
}
