package org.courier.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One operator action, as it was asked and answered, with what it concerned ({@link AuditSubject}:
 * the sender and interface that decide which operators may read it): written once, never changed;
 * removed with SQL by the purge job when older than the failure retention period. Entries written
 * before subjects were recorded have none and read as actions for everybody.
 */
@Entity
@Table(name = "COURIER_AUDIT")
public class AuditRecord {

    static final int MAX_ACTOR = 100;
    static final int MAX_ACTION = 300;
    static final int MAX_PARAMETERS = 2000;
    static final int MAX_SENDER = 60;
    static final int MAX_INTERFACE = 120;

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "ACTED_AT", nullable = false)
    private Instant actedAt;

    @Column(name = "ACTOR", length = MAX_ACTOR, nullable = false)
    private String actor;

    @Column(name = "ACTION", length = MAX_ACTION, nullable = false)
    private String action;

    @Column(name = "PARAMETERS", length = MAX_PARAMETERS)
    private String parameters;

    @Column(name = "STATUS", nullable = false)
    private int status;

    @Column(name = "SENDER", length = MAX_SENDER)
    private String sender;

    @Column(name = "INTERFACE_NAME", length = MAX_INTERFACE)
    private String interfaceName;

    protected AuditRecord() {
    }

    /**
     * An action by {@code actor} at {@code at}: e.g. {@code POST /delivery/cancel}, its query
     * parameters, what it concerned and the status.
     */
    public AuditRecord(Instant at, String actor, String action, String parameters, AuditSubject subject, int status) {
        this.id = UUID.randomUUID().toString();
        this.actedAt = at.truncatedTo(ChronoUnit.MILLIS);
        this.actor = cut(actor, MAX_ACTOR);
        this.action = cut(action, MAX_ACTION);
        this.parameters = parameters == null || parameters.isEmpty() ? null : cut(parameters, MAX_PARAMETERS);
        this.sender = cut(subject.sender(), MAX_SENDER);
        this.interfaceName = cut(subject.interfaceName(), MAX_INTERFACE);
        this.status = status;
    }

    private static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }

    public Instant at() {
        return actedAt;
    }

    public String actor() {
        return actor;
    }

    public String action() {
        return action;
    }

    public String parameters() {
        return parameters;
    }

    public int status() {
        return status;
    }

    /** What the action concerned. */
    public AuditSubject subject() {
        return new AuditSubject(sender, interfaceName);
    }
}
