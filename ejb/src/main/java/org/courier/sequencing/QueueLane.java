package org.courier.sequencing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.Optional;
import java.util.UUID;

/**
 * An in-order queue's stream to one receiver. Its head is the one delivery allowed out;
 * none while the lane is idle.
 */
@Entity
@Table(name = "COURIER_LANE",
        uniqueConstraints = @UniqueConstraint(name = "UK_COURIER_LANE_RECEIVER", columnNames = {"QUEUE_KEY", "RECEIVER"}))
@NamedQuery(name = QueueLane.OF_QUEUE, query = "select l from QueueLane l where l.queue = :queue order by l.receiver")
@NamedQuery(name = QueueLane.BY_QUEUE_AND_RECEIVER,
        query = "select l from QueueLane l where l.queue = :queue and l.receiver = :receiver")
public class QueueLane {

    public static final String OF_QUEUE = "QueueLane.ofQueue";
    public static final String BY_QUEUE_AND_RECEIVER = "QueueLane.byQueueAndReceiver";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "QUEUE_KEY", nullable = false)
    private InOrderQueue queue;

    @Column(name = "RECEIVER", length = 60, nullable = false)
    private String receiver;

    @Column(name = "HEAD_DELIVERY_ID", length = 36)
    private String headDeliveryId;

    protected QueueLane() {
    }

    QueueLane(InOrderQueue queue, String receiver) {
        this.id = UUID.randomUUID().toString();
        this.queue = queue;
        this.receiver = receiver;
    }

    void headIs(String deliveryId) {
        this.headDeliveryId = deliveryId;
    }

    boolean isIdle() {
        return headDeliveryId == null;
    }

    public String id() {
        return id;
    }

    public InOrderQueue queue() {
        return queue;
    }

    public String receiver() {
        return receiver;
    }

    public Optional<String> headDeliveryId() {
        return Optional.ofNullable(headDeliveryId);
    }
}
