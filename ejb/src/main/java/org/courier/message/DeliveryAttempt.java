package org.courier.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One attempt to deliver to a non-idempotent receiver, written and committed before the
 * request is sent; its outcome is written when it is known. An attempt still without an
 * outcome when its delivery is looked at again is in doubt.
 */
@Entity
@Table(name = "COURIER_ATTEMPT")
@NamedQuery(name = DeliveryAttempt.OPEN_OF_DELIVERY,
        query = "select a from DeliveryAttempt a where a.deliveryId = :deliveryId and a.outcome is null order by a.startedAt")
@NamedQuery(name = DeliveryAttempt.COUNT_WITH_OUTCOME,
        query = "select count(a) from DeliveryAttempt a where a.deliveryId = :deliveryId and a.outcome = :outcome")
public class DeliveryAttempt {

    public static final String OPEN_OF_DELIVERY = "DeliveryAttempt.openOfDelivery";
    public static final String COUNT_WITH_OUTCOME = "DeliveryAttempt.countWithOutcome";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "DELIVERY_ID", length = 36, nullable = false)
    private String deliveryId;

    @Column(name = "STARTED_AT", nullable = false)
    private Instant startedAt;

    @Column(name = "ENDED_AT")
    private Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "OUTCOME", length = 24)
    private AttemptOutcome outcome;

    @Column(name = "DETAIL", length = Delivery.MAX_ERROR_LENGTH)
    private String detail;

    protected DeliveryAttempt() {
    }

    public DeliveryAttempt(String deliveryId, Instant startedAt) {
        this.id = UUID.randomUUID().toString();
        this.deliveryId = deliveryId;
        this.startedAt = startedAt;
    }

    /** Records the outcome; an attempt that has one keeps it. */
    public void end(AttemptOutcome outcome, Instant at, String detail) {
        if (this.outcome != null) {
            return;
        }
        this.outcome = outcome;
        this.endedAt = at;
        this.detail = detail == null || detail.length() <= Delivery.MAX_ERROR_LENGTH
                ? detail
                : detail.substring(0, Delivery.MAX_ERROR_LENGTH);
    }

    public boolean inDoubt() {
        return outcome == null;
    }

    public String id() {
        return id;
    }

    public String deliveryId() {
        return deliveryId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public AttemptOutcome outcome() {
        return outcome;
    }

    public String detail() {
        return detail;
    }
}
