package org.courier.steps;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** That a step ran for a message: unique per (step, message key), expires with the idempotency window. */
@Entity
@Table(name = "COURIER_STEP_RECORD")
@NamedQuery(name = StepRecord.BY_STEP_AND_KEY,
        query = "select r from StepRecord r where r.step = :step and r.messageKey = :messageKey")
public class StepRecord {

    static final String BY_STEP_AND_KEY = "StepRecord.byStepAndKey";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "STEP", length = 100, nullable = false)
    private String step;

    @Column(name = "MESSAGE_KEY", length = 300, nullable = false)
    private String messageKey;

    @Column(name = "DONE_AT", nullable = false)
    private Instant doneAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private Instant expiresAt;

    protected StepRecord() {
    }

    StepRecord(String step, String messageKey, Instant doneAt, Instant expiresAt) {
        this.id = UUID.randomUUID().toString();
        this.step = step;
        this.messageKey = messageKey;
        this.doneAt = doneAt;
        this.expiresAt = expiresAt;
    }

    public String step() {
        return step;
    }

    public String messageKey() {
        return messageKey;
    }

    public Instant doneAt() {
        return doneAt;
    }
}
