package org.courier.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.courier.cluster.ClusterNode;

/**
 * One message's way to one receiver. Created in the receipt transaction ({@code PENDING}, or
 * {@code HELD} behind an earlier message of its in-order queue), set {@code DELIVERED} in
 * the same transaction that consumes its JMS message after the receiver answered 2xx, and
 * never sent again once delivered or cancelled.
 */
@Entity
@Table(name = "COURIER_DELIVERY",
        uniqueConstraints = @UniqueConstraint(name = "UK_COURIER_DELIVERY_RECEIVER",
                columnNames = {"MESSAGE_KEY", "RECEIVER", "PART"}))
@NamedQuery(name = Delivery.DUE_FOR_RESEND,
        query = "select d.id from Delivery d where d.state in (org.courier.message.DeliveryState.FAILED,"
                + " org.courier.message.DeliveryState.IN_DOUBT) and d.nextResendAt <= :now order by d.nextResendAt, d.id")
@NamedQuery(name = Delivery.NEXT_HELD_IN_LANE,
        query = "select d from Delivery d where d.laneId = :laneId and d.state = org.courier.message.DeliveryState.HELD"
                + " order by d.sequenceNo, d.partNo")
public class Delivery {

    public static final String NEXT_HELD_IN_LANE = "Delivery.nextHeldInLane";
    public static final String DUE_FOR_RESEND = "Delivery.dueForResend";

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

    /**
     * The node whose attempt delivered it ({@link ClusterNode}); null while not delivered, when an
     * operator declared it delivered, and for rows of versions before 12.
     */
    @Column(name = "DELIVERED_BY", length = 23)
    private String deliveredBy;

    /** Exactly Once In Order: the lane (queue and receiver) this delivery is ordered in. */
    @Column(name = "LANE_ID", length = 36)
    private String laneId;

    @Column(name = "SEQUENCE_NO")
    private Long sequenceNo;

    /** Failure store: when the scheduled resend tries a FAILED delivery next. */
    @Column(name = "NEXT_RESEND_AT")
    private Instant nextResendAt;

    /** Failure store: how many scheduled resend rounds it has had. */
    @Column(name = "RESENDS", nullable = false)
    private int resends;

    /**
     * How often it was handed to the delivery queue. Each JMS message carries the number of its
     * dispatch, so a message left over from an earlier dispatch is recognised and dropped: only
     * one message at a time can make an attempt.
     */
    @Column(name = "DISPATCHES", nullable = false)
    private int dispatches;

    /**
     * The node whose broker holds the JMS message of the current dispatch ({@link ClusterNode}):
     * what another node dispatches again if that node dies (org.courier.cluster).
     */
    @Column(name = "DISPATCHED_BY", length = 23)
    private String dispatchedBy;

    /** Which part of the message this is for its receiver: '' (the whole), a branch, an item, or both. */
    @Column(name = "PART", length = 100, nullable = false)
    private String part = "";

    /** The part's place among the message's parts for one receiver (order within an in-order lane). */
    @Column(name = "PART_NO", nullable = false)
    private int partNo;

    /** A part's own content (a split item); null: the message's payload. */
    @Lob
    @Column(name = "PART_PAYLOAD")
    private String partPayload;

    /** The message id this receiver gets, when it needs ids of its own form (ID mapping); else null. */
    @Column(name = "TARGET_MESSAGE_ID", length = 300)
    private String targetMessageId;

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

    Delivery(ReceivedMessage message, String receiver, String part, int partNo, String partPayload) {
        this(message, receiver);
        this.part = part;
        this.partNo = partNo;
        this.partPayload = partPayload;
    }

    /** Numbers a new dispatch to the delivery queue; its JMS message carries the number returned. */
    public int dispatched() {
        dispatchedBy = ClusterNode.ID;
        return ++dispatches;
    }

    /** The node whose broker holds the message of the current dispatch; null for rows of earlier versions. */
    public String dispatchedBy() {
        return dispatchedBy;
    }

    /** What the JMS message of dispatch number {@code dispatch} may do with this delivery as stored now. */
    public DispatchCheck check(int dispatch) {
        if (dispatch > dispatches) {
            return DispatchCheck.NOT_VISIBLE_YET;
        }
        if (state.isFinal()) {
            return DispatchCheck.SETTLED;
        }
        return dispatch == dispatches && state == DeliveryState.PENDING ? DispatchCheck.CURRENT : DispatchCheck.OUTDATED;
    }

    public int dispatches() {
        return dispatches;
    }

    /** Puts this delivery in its queue's lane at its message's place; it is held until the lane lets it go. */
    public void orderIn(String laneId, long sequenceNo) {
        this.laneId = laneId;
        this.sequenceNo = sequenceNo;
        this.state = DeliveryState.HELD;
    }

    /**
     * Lets a held delivery go out, or a failed one again: an operator's resend, with a fresh
     * count of attempts and resends.
     */
    public void release() {
        if (state.isInFailureStore() || state == DeliveryState.IN_DOUBT) {
            attempts = 0;
            resends = 0;
            nextResendAt = null;
        }
        state = DeliveryState.PENDING;
    }

    /** The scheduled resend takes it out of the failure store for one more attempt. */
    public void resendRound() {
        resends++;
        nextResendAt = null;
        state = DeliveryState.PENDING;
    }

    /** A resend round is one attempt: if it fails, the delivery goes back to the store at once. */
    public boolean isResendRound() {
        return resends > 0;
    }

    /** FAILED, or IN_DOUBT with a status URL to ask again, and its time has come. */
    public boolean isDue(Instant now) {
        return (state == DeliveryState.FAILED || state == DeliveryState.IN_DOUBT)
                && nextResendAt != null && !nextResendAt.isAfter(now);
    }

    public void delivered(Instant at) {
        attempts++;
        lastAttemptAt = at;
        lastError = null;
        deliveredAt = at;
        deliveredBy = ClusterNode.ID;
        state = DeliveryState.DELIVERED;
    }

    public void failed(Instant at, String error) {
        attempts++;
        lastAttemptAt = at;
        lastError = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    }

    /** The last quick attempt failed too: into the failure store, resent at {@code nextResend}. */
    public void gaveUp(Instant at, String error, Instant nextResend) {
        failed(at, error);
        state = DeliveryState.FAILED;
        nextResendAt = nextResend;
    }

    /** No more automatic attempts (resends ran out, or the receiver refused for good): an operator decides. */
    public void needsOperator(Instant at, String error) {
        failed(at, error);
        state = DeliveryState.ERROR;
        nextResendAt = null;
    }

    /**
     * An attempt may have reached the receiver and nobody can tell: held for an operator, and
     * looked at again at {@code askAgain} if the receiver can be asked (else {@code null}).
     */
    public void inDoubt(Instant at, String reason, Instant askAgain) {
        failed(at, reason);
        state = DeliveryState.IN_DOUBT;
        nextResendAt = askAgain;
    }

    /**
     * Its receiver is down or in maintenance: the delivery waits in the failure store without a
     * due time until the receiver is back, its reason in its last error. Not an attempt: the
     * counts of attempts and resends stay as they are.
     */
    public void waitForReceiver(String reason) {
        lastError = reason.length() > MAX_ERROR_LENGTH ? reason.substring(0, MAX_ERROR_LENGTH) : reason;
        state = DeliveryState.FAILED;
        nextResendAt = null;
    }

    /** FAILED without a due time: it waits for its receiver to be back. */
    public boolean isWaitingForReceiver() {
        return state == DeliveryState.FAILED && nextResendAt == null;
    }

    /** Sent as a probe of its receiver, which is down: one attempt like any other, no resend counted. */
    public void probe() {
        state = DeliveryState.PENDING;
        nextResendAt = null;
    }

    /** An operator declares it delivered (the receiver has it, whatever Courier saw): final. */
    public void confirmDelivered(Instant at) {
        deliveredAt = at;
        nextResendAt = null;
        state = DeliveryState.DELIVERED;
    }

    public void cancel() {
        nextResendAt = null;
        state = DeliveryState.CANCELLED;
    }

    public boolean isDelivered() {
        return state == DeliveryState.DELIVERED;
    }

    public boolean isInOrder() {
        return laneId != null;
    }

    public String laneId() {
        return laneId;
    }

    public Long sequenceNo() {
        return sequenceNo;
    }

    public Instant nextResendAt() {
        return nextResendAt;
    }

    public int resends() {
        return resends;
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

    public String deliveredBy() {
        return deliveredBy;
    }

    /** Gives the delivery the id its receiver gets instead of the sender's (once, at acceptance). */
    public void carryTargetId(String targetId) {
        this.targetMessageId = targetId;
    }

    /** The id the receiver gets: the mapped one, or the sender's. */
    public String messageIdForReceiver() {
        return targetMessageId != null ? targetMessageId : message().messageId();
    }

    /** Whether the receiver gets a mapped id rather than the sender's. */
    public boolean carriesMappedId() {
        return targetMessageId != null;
    }

    /** Which part of the message this delivery is ('' for the whole message). */
    public String part() {
        return part;
    }

    /** What the receiver gets: the part's own content, or the message's payload. */
    public String payloadForReceiver() {
        return partPayload != null ? partPayload : message.payload();
    }
}
