package org.courier.aggregation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A message collected into an open aggregate, until the aggregate is released. */
@Entity
@Table(name = "COURIER_AGGREGATE_MEMBER")
@NamedQuery(name = AggregateMember.OF_AGGREGATE, query = "select m from AggregateMember m"
        + " where m.aggregationId = :aggregationId and m.aggregateNo = :aggregateNo order by m.memberNo")
public class AggregateMember {

    static final String OF_AGGREGATE = "AggregateMember.ofAggregate";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "AGGREGATION_ID", length = 36, nullable = false)
    private String aggregationId;

    @Column(name = "AGGREGATE_NO", nullable = false)
    private int aggregateNo;

    @Column(name = "MEMBER_NO", nullable = false)
    private int memberNo;

    @Column(name = "SENDER", length = 60, nullable = false)
    private String sender;

    @Column(name = "MESSAGE_ID", length = 200, nullable = false)
    private String messageId;

    @Lob
    @Column(name = "PAYLOAD", nullable = false)
    private String payload;

    @Column(name = "ADDED_AT", nullable = false)
    private Instant addedAt;

    protected AggregateMember() {
    }

    AggregateMember(String aggregationId, int aggregateNo, int memberNo, String sender, String messageId, String payload,
                    Instant addedAt) {
        this.id = UUID.randomUUID().toString();
        this.aggregationId = aggregationId;
        this.aggregateNo = aggregateNo;
        this.memberNo = memberNo;
        this.sender = sender;
        this.messageId = messageId;
        this.payload = payload;
        this.addedAt = addedAt;
    }

    public int memberNo() {
        return memberNo;
    }

    public String sender() {
        return sender;
    }

    public String messageId() {
        return messageId;
    }

    public String payload() {
        return payload;
    }
}
