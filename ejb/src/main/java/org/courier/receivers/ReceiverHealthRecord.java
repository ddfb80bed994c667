package org.courier.receivers;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The shared health of one receiver, as the last node (or operator) to change it wrote it. */
@Entity
@Table(name = "COURIER_RECEIVER_HEALTH")
public class ReceiverHealthRecord {

    static final int MAX_ERROR_LENGTH = 1000;

    @Id
    @Column(name = "RECEIVER", length = 60)
    private String receiver;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", length = 16, nullable = false)
    private HealthState state;

    @Column(name = "SINCE", nullable = false)
    private Instant since;

    @Column(name = "FAILURES", nullable = false)
    private int failures;

    @Column(name = "LAST_ERROR", length = MAX_ERROR_LENGTH)
    private String lastError;

    @Column(name = "CHANGED_BY", length = 200)
    private String changedBy;

    @Column(name = "NEXT_PROBE_AT")
    private Instant nextProbeAt;

    protected ReceiverHealthRecord() {
    }

    ReceiverHealthRecord(ReceiverCondition condition) {
        this.receiver = condition.receiver();
        take(condition);
    }

    /** Takes the condition, its probe due at once if it is DOWN. */
    void take(ReceiverCondition condition) {
        state = condition.state();
        since = condition.since();
        failures = condition.failures();
        lastError = condition.lastError() == null || condition.lastError().length() <= MAX_ERROR_LENGTH
                ? condition.lastError() : condition.lastError().substring(0, MAX_ERROR_LENGTH);
        changedBy = condition.changedBy() == null || condition.changedBy().length() <= 200
                ? condition.changedBy() : condition.changedBy().substring(0, 200);
        nextProbeAt = null;
    }

    ReceiverCondition condition() {
        return new ReceiverCondition(receiver, state, since, failures, lastError, changedBy, 0);
    }

    Instant since() {
        return since;
    }
}
