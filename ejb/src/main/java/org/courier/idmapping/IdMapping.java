package org.courier.idmapping;

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
 * One mapped id: the source id (sender/message id) in a context (a receiver, an item, a
 * branch) and the target id given for it. Unique per (source id, context): written once, read
 * ever after, deleted when it expires.
 */
@Entity
@Table(name = "COURIER_ID_MAPPING")
@NamedQuery(name = IdMapping.BY_SOURCE_AND_CONTEXT,
        query = "select m from IdMapping m where m.sourceId = :sourceId and m.context = :context")
public class IdMapping {

    public static final String BY_SOURCE_AND_CONTEXT = "IdMapping.bySourceAndContext";

    /** The source id of a message: its sender and message id. */
    public static String sourceId(String sender, String messageId) {
        return sender + "/" + messageId;
    }

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "SOURCE_ID", length = 261, nullable = false)
    private String sourceId;

    @Column(name = "CONTEXT", length = 200, nullable = false)
    private String context;

    @Column(name = "TARGET_ID", length = 200, nullable = false)
    private String targetId;

    @Column(name = "FORMAT", length = 120, nullable = false)
    private String format;

    @Enumerated(EnumType.STRING)
    @Column(name = "MAPPING", length = 8, nullable = false)
    private IdMappingRule.Mode mode;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private Instant expiresAt;

    protected IdMapping() {
    }

    IdMapping(String sourceId, String context, String targetId, IdMappingRule rule, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.sourceId = sourceId;
        this.context = context;
        this.targetId = targetId;
        this.format = rule.format().name();
        this.mode = rule.mode();
        this.createdAt = now;
        this.expiresAt = now.plus(rule.expiration());
    }

    public String sourceId() {
        return sourceId;
    }

    public String context() {
        return context;
    }

    public String targetId() {
        return targetId;
    }

    public String format() {
        return format;
    }

    public IdMappingRule.Mode mode() {
        return mode;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
