package org.courier.aggregation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The state of one aggregator for one correlation value: the aggregate collecting now (its
 * number, members and due time) and how many were released. Locked by every member added and
 * every release, so members of one correlation are numbered in acceptance order and each
 * aggregate is released once.
 */
@Entity
@Table(name = "COURIER_AGGREGATION")
@NamedQuery(name = Aggregation.BY_KEY,
        query = "select a from Aggregation a where a.aggregator = :aggregator and a.correlation = :correlation")
@NamedQuery(name = Aggregation.DUE,
        query = "select a.id from Aggregation a where a.dueAt <= :now order by a.dueAt")
public class Aggregation {

    static final String BY_KEY = "Aggregation.byKey";
    static final String DUE = "Aggregation.due";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "AGGREGATOR", length = 60, nullable = false)
    private String aggregator;

    @Column(name = "CORRELATION", length = 150, nullable = false)
    private String correlation;

    @Column(name = "OPEN_NO", nullable = false)
    private int openNo;

    @Column(name = "MEMBERS", nullable = false)
    private int members;

    @Column(name = "OPENED_AT")
    private Instant openedAt;

    @Column(name = "DUE_AT")
    private Instant dueAt;

    @Column(name = "RELEASED", nullable = false)
    private int released;

    @Column(name = "LAST_RELEASED_AT")
    private Instant lastReleasedAt;

    protected Aggregation() {
    }

    Aggregation(String aggregator, String correlation) {
        this.id = UUID.randomUUID().toString();
        this.aggregator = aggregator;
        this.correlation = correlation;
        this.openNo = 1;
    }

    /** Adds a member to the open aggregate (opening it, with its due time, if it is the first); its number. */
    int addMember(Instant now, Duration timeout) {
        if (members == 0) {
            openedAt = now;
            dueAt = timeout == null ? null : now.plus(timeout);
        }
        return ++members;
    }

    /** The open aggregate was released: the next member opens the next one. */
    void released(Instant now) {
        openNo++;
        members = 0;
        openedAt = null;
        dueAt = null;
        released++;
        lastReleasedAt = now;
    }

    boolean isDue(Instant now) {
        return members > 0 && dueAt != null && !dueAt.isAfter(now);
    }

    public String id() {
        return id;
    }

    public String aggregator() {
        return aggregator;
    }

    public String correlation() {
        return correlation;
    }

    public int openNo() {
        return openNo;
    }

    public int members() {
        return members;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public int released() {
        return released;
    }

    /** Postpones a due aggregate that cannot be released now. */
    void postpone(Instant until) {
        dueAt = until;
    }
}
