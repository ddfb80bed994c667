package org.courier.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * One message's way to one receiver. Created {@code PENDING} in the receipt transaction,
 * set {@code DELIVERED} in the same transaction that consumes its JMS message after the
 * receiver answered 2xx, and never sent again once delivered.
 */
@Entity
@Table(name = "COURIER_DELIVERY",
        uniqueConstraints = @UniqueConstraint(name = "UK_COURIER_DELIVERY_RECEIVER", columnNames = {"MESSAGE_KEY", "RECEIVER"}))
public class Delivery {

    static final int MAX_ERROR_LENGTH = 1000;

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "MESSAGE_KEY", nullable = false)
    private ReceivedMessage message;

    @Column(name = "RECEIVER", length = 60, nullable = false)
    private String receiver;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", length = 16, nullable = false)
    private DeliveryState state;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "LAST_ATTEMPT_AT")
    private Instant lastAttemptAt;

    @Column(name = "LAST_ERROR", length = MAX_ERROR_LENGTH)
    private String lastError;

    @Column(name = "DELIVERED_AT")
    private Instant deliveredAt;

    @Version
    @Column(name = "VERSION")
    private long version;

    protected Delivery() {
    }

    Delivery(ReceivedMessage message, String receiver) {
        this.id = UUID.randomUUID().toString();
        this.message = message;
        this.receiver = receiver;
        this.state = DeliveryState.PENDING;
    }

    public void delivered(Instant at) {
        attempts++;
        lastAttemptAt = at;
        lastError = null;
        deliveredAt = at;
        state = DeliveryState.DELIVERED;
    }

    public void failed(Instant at, String error) {
        attempts++;
        lastAttemptAt = at;
        lastError = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    }

    public boolean isDelivered() {
        return state == DeliveryState.DELIVERED;
    }

    public String id() {
        return id;
    }

    public ReceivedMessage message() {
        return message;
    }

    public String receiver() {
        return receiver;
    }

    public DeliveryState state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public Instant lastAttemptAt() {
        return lastAttemptAt;
    }

    public String lastError() {
        return lastError;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }
}
