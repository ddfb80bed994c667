package org.courier.delivery;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.logging.Logger;
import org.courier.message.AttemptOutcome;
import org.courier.message.Delivery;
import org.courier.message.DeliveryAttempt;
import org.courier.message.DispatchCheck;
import org.courier.monitoring.CourierCounters;
import org.courier.receivers.ReceiverHealth;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.RoutingTable;
import org.courier.sequencing.SequenceGate;

/**
 * Makes one delivery attempt inside the consuming transaction, holding the delivery's row
 * lock from before the request until the outcome commits: POSTs the message to its receiver
 * unless it was delivered or cancelled before, and marks it delivered on a 2xx answer; an
 * in-order delivery then hands its lane to the next held message. A failed attempt is
 * recorded and the next one dispatched with a delay (1 s, doubling, at most 60 s) in the same
 * transaction, which commits. When the last quick attempt fails (or the one attempt of a
 * resend round, or the receiver refuses for good), the delivery goes to the failure store
 * (FAILED, with a due time) or to an operator (ERROR): nothing waits only in a dead-letter queue.
 *
 * <p>The row lock is what keeps a crash from sending a message more than once per attempt
 * in flight: after a kill, a transaction left in doubt keeps its lock until transaction
 * recovery resolves it, and an attempt for that delivery waits for the lock (and is retried
 * by the broker) instead of POSTing again and failing to commit.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class DeliveryAgent {

    private static final Logger LOG = Logger.getLogger(DeliveryAgent.class.getName());

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private RoutingTable routing;

    @EJB
    private DeliveryAttempts attempts;

    @Inject
    private ReceiverClient client;

    @Inject
    private RetryLimit retryLimit;

    @EJB
    private SequenceGate gate;

    @EJB
    private DeliveryDispatcher dispatcher;

    @Inject
    private CourierCounters counters;

    @Inject
    private ReceiverHealth health;

    /**
     * @param dispatch the number of the dispatch whose JMS message this is; empty for a message
     *                 from before dispatches were numbered, taken as the latest
     */
    public DeliveryOutcome deliver(String deliveryId, OptionalInt dispatch) {
        return withCurrent(deliveryId, dispatch, delivery -> counted(delivery, attempt(delivery)));
    }

    /**
     * Its receiver is down or in maintenance: the delivery waits for it (FAILED without a due
     * time, {@code reason} as its last error) instead of being attempted; nothing is sent.
     */
    public DeliveryOutcome waitForReceiver(String deliveryId, OptionalInt dispatch, String reason) {
        return withCurrent(deliveryId, dispatch, delivery -> {
            delivery.waitForReceiver(reason);
            LOG.fine(() -> "Delivery of " + describe(delivery) + " " + reason);
            return DeliveryOutcome.WAITING;
        });
    }

    /** Runs {@code action} on the delivery under its row lock if this JMS message is its current dispatch. */
    private DeliveryOutcome withCurrent(String deliveryId, OptionalInt dispatch, Function<Delivery, DeliveryOutcome> action) {
        Delivery delivery;
        try {
            delivery = em.find(Delivery.class, deliveryId, LockModeType.PESSIMISTIC_WRITE);
        } catch (PersistenceException locked) {
            LOG.info(() -> "Delivery " + deliveryId + " is locked by another transaction (one left in doubt by a crash"
                    + " waits for transaction recovery); the broker retries it");
            return DeliveryOutcome.BUSY;
        }
        DispatchCheck check = delivery == null
                ? DispatchCheck.NOT_VISIBLE_YET
                : delivery.check(dispatch.orElse(delivery.dispatches()));
        return switch (check) {
            case CURRENT -> action.apply(delivery);
            case NOT_VISIBLE_YET -> {
                LOG.fine(() -> "Delivery " + deliveryId + " (dispatch " + dispatch + ") not visible yet; the broker retries it");
                yield DeliveryOutcome.NOT_VISIBLE_YET;
            }
            case SETTLED -> {
                LOG.fine(() -> "Delivery " + deliveryId + " is " + delivery.state() + " already; not sent again");
                yield DeliveryOutcome.ALREADY_SETTLED;
            }
            case OUTDATED -> {
                LOG.fine(() -> "Dropped a message of dispatch " + dispatch + " of delivery " + deliveryId + ": it is "
                        + delivery.state() + " at dispatch " + delivery.dispatches());
                yield DeliveryOutcome.OUTDATED;
            }
        };
    }

    /** Counts the attempt's outcome when the consuming transaction commits. */
    private DeliveryOutcome counted(Delivery delivery, DeliveryOutcome outcome) {
        switch (outcome) {
            case DELIVERED -> counters.delivered(delivery.receiver());
            case RETRY_SCHEDULED -> counters.attemptFailed(delivery.receiver(), false);
            case GAVE_UP -> counters.attemptFailed(delivery.receiver(), true);
            default -> {
                // in doubt, or nothing attempted: not counted
            }
        }
        return outcome;
    }

    private DeliveryOutcome attempt(Delivery delivery) {
        Optional<ReceiverEndpoint> endpoint = routing.receiver(delivery.receiver());
        if (endpoint.isEmpty()) {
            return failed(delivery, null, ReceiverResponse.failed("receiver '" + delivery.receiver() + "' is no longer configured"));
        }
        ReceiverEndpoint receiver = endpoint.get();
        if (receiver.idempotent()) {
            return send(delivery, receiver, null, false);
        }
        // a non-idempotent receiver: an attempt without an outcome is in doubt and is settled first
        List<DeliveryAttempt> open = attempts.open(delivery.id());
        AttemptOutcome settledAs = null;
        String settlement = null;
        if (!open.isEmpty()) {
            String doubt = "attempt started at " + open.get(0).startedAt() + " has no outcome";
            Optional<StatusAnswer> answer = receiver.statusCheck().map(url -> client.askStatus(receiver, url, delivery));
            StatusAnswer.Kind kind = answer.map(StatusAnswer::kind).orElse(StatusAnswer.Kind.UNKNOWN);
            if (kind == StatusAnswer.Kind.RECEIVED) {
                return receivedAfterAll(delivery, answer.get().detail());
            }
            if (kind == StatusAnswer.Kind.NOT_RECEIVED) {
                settledAs = AttemptOutcome.CONFIRMED_NOT_RECEIVED;
                settlement = answer.get().detail();
                LOG.info(() -> "Delivery of " + describe(delivery) + " was in doubt; the receiver did not get it ("
                        + answer.get().detail() + "): sent again");
            } else if (receiver.inDoubt() == InDoubtPolicy.HOLD) {
                return holdInDoubt(delivery, receiver, answer.map(a -> doubt + "; " + a.detail()).orElse(doubt));
            } else {
                settledAs = AttemptOutcome.RETRIED_IN_DOUBT;
                settlement = answer.map(StatusAnswer::detail).orElse(doubt);
                LOG.warning(() -> "Delivery of " + describe(delivery) + " is in doubt (" + doubt
                        + "); policy RETRY sends it again as a possible duplicate");
            }
        }
        DeliveryAttempts.Begun begun = attempts.begin(delivery.id(), settledAs, settlement, delivery.dispatches() > 1);
        return send(delivery, receiver, begun.attemptId(), begun.possibleDuplicate());
    }

    /** One POST; {@code attemptId} is the attempt logged for a non-idempotent receiver, else {@code null}. */
    private DeliveryOutcome send(Delivery delivery, ReceiverEndpoint receiver, String attemptId, boolean possibleDuplicate) {
        ReceiverResponse response = client.post(receiver, delivery, possibleDuplicate);
        if (response.success()) {
            health.succeeded(receiver.name());
        } else if (!response.permanent()) {
            health.failed(receiver.name(), response.error());
        }
        if (response.success()) {
            delivery.delivered(Instant.now());
            if (attemptId != null) {
                attempts.end(attemptId, AttemptOutcome.DELIVERED, null);
            }
            advanceLane(delivery);
            return DeliveryOutcome.DELIVERED;
        }
        if (attemptId != null && response.inDoubt() && receiver.inDoubt() == InDoubtPolicy.HOLD
                && receiver.statusCheck().isEmpty()) {
            // nobody can tell whether the receiver processed it, and nobody to ask: an operator decides
            return holdInDoubt(delivery, receiver, response.error());
        }
        // certainly not processed, or in doubt with a status URL to ask (or policy RETRY): the attempt
        // stays open and the next one settles it; ask later rather than now, the receiver may still be at it
        return failed(delivery, attemptId, response);
    }

    private DeliveryOutcome failed(Delivery delivery, String attemptId, ReceiverResponse response) {
        int attempt = delivery.attempts() + 1;
        if (response.permanent() || delivery.isResendRound() || retryLimit.isLast(attempt)) {
            if (attemptId != null && !response.inDoubt()) {
                attempts.end(attemptId, AttemptOutcome.FAILED, response.error());
            }
            return giveUp(delivery, attempt, response);
        }
        return retryLater(delivery, attemptId, attempt, response);
    }

    /** The receiver's status URL says it has the message: delivered, without sending it again. */
    private DeliveryOutcome receivedAfterAll(Delivery delivery, String detail) {
        attempts.endOpen(delivery.id(), AttemptOutcome.CONFIRMED_RECEIVED, detail);
        delivery.confirmDelivered(Instant.now());
        advanceLane(delivery);
        LOG.info(() -> "Delivery of " + describe(delivery) + " was in doubt; the receiver has it (" + detail
                + "): delivered, not sent again");
        return DeliveryOutcome.DELIVERED;
    }

    /**
     * In doubt under policy HOLD: nothing is sent until the receiver's status URL (asked again on
     * the resend schedule) or an operator settles it; an in-order queue waits behind it.
     */
    private DeliveryOutcome holdInDoubt(Delivery delivery, ReceiverEndpoint receiver, String reason) {
        Instant now = Instant.now();
        Instant askAgain = receiver.statusCheck().isPresent()
                ? retryLimit.resendPolicy().nextResend(delivery.resends(), now).orElse(null)
                : null;
        delivery.inDoubt(now, reason, askAgain);
        LOG.warning(() -> "Delivery of " + describe(delivery) + " is IN DOUBT: " + reason
                + (askAgain != null ? "; the receiver's status URL is asked again at " + askAgain
                : "; nothing is sent until an operator marks it delivered or resends it")
                + (delivery.isInOrder() ? "; its queue waits behind it" : ""));
        return DeliveryOutcome.IN_DOUBT;
    }

    private void advanceLane(Delivery delivery) {
        if (delivery.isInOrder()) {
            gate.advance(delivery).ifPresent(dispatcher::dispatch);
        }
    }

    private DeliveryOutcome retryLater(Delivery delivery, String attemptId, int attempt, ReceiverResponse response) {
        Duration delay = RetryLimit.delayAfter(attempt);
        delivery.failed(Instant.now(), response.error());
        if (attemptId != null && !response.inDoubt()) {
            attempts.end(attemptId, AttemptOutcome.FAILED, response.error());
        }
        dispatcher.dispatchAfter(delivery, delay);
        LOG.warning(() -> "Delivery of " + describe(delivery) + " failed (attempt " + attempt + "): "
                + response.error() + (response.inDoubt() && attemptId != null ? " (in doubt)" : "")
                + "; next attempt in " + delay.toSeconds() + " s");
        return DeliveryOutcome.RETRY_SCHEDULED;
    }

    /**
     * Out of the quick retries: into the failure store with its next due time, or — refused for
     * good by the receiver, or out of resends too — to an operator. An in-order lane moves on
     * only under policy SKIP.
     */
    private DeliveryOutcome giveUp(Delivery delivery, int attempt, ReceiverResponse response) {
        Instant now = Instant.now();
        Optional<Instant> nextResend = response.permanent()
                ? Optional.empty()
                : retryLimit.resendPolicy().nextResend(delivery.resends(), now);
        nextResend.ifPresentOrElse(due -> delivery.gaveUp(now, response.error(), due),
                () -> delivery.needsOperator(now, response.error()));
        boolean queueGoesOn = delivery.isInOrder() && gate.afterGivingUp(delivery).map(next -> {
            dispatcher.dispatch(next);
            return true;
        }).orElse(false);
        LOG.warning(() -> "Delivery of " + describe(delivery) + " is " + delivery.state() + " after attempt " + attempt
                + (delivery.isResendRound() ? " of resend " + delivery.resends() : "") + ": " + response.error()
                + nextResend.map(due -> "; resent at " + due).orElse("; it waits for an operator")
                + (delivery.isInOrder() && !queueGoesOn ? "; its queue waits behind it" : ""));
        return DeliveryOutcome.GAVE_UP;
    }

    private static String describe(Delivery delivery) {
        String id = delivery.message().sender() + "/" + delivery.message().messageId();
        return delivery.isInOrder()
                ? id + " (queue " + delivery.message().queueId() + " #" + delivery.sequenceNo() + ") to " + delivery.receiver()
                : id + " to " + delivery.receiver();
    }
}
