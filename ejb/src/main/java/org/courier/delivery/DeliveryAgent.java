package org.courier.delivery;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.logging.Logger;
import org.courier.message.Delivery;
import org.courier.message.DispatchCheck;
import org.courier.routing.RoutingTable;
import org.courier.sequencing.SequenceGate;

/**
 * Makes one delivery attempt inside the consuming transaction: POSTs the message to its
 * receiver unless it was delivered or cancelled before, and marks it delivered on a 2xx
 * answer; an in-order delivery then hands its lane to the next held message. A failure is
 * recorded by {@link DeliveryAttempts} in a transaction of its own, because the consuming
 * transaction rolls back for the broker to retry. When the last quick attempt fails (or the
 * one attempt of a resend round, or the receiver refuses for good), the delivery goes to the
 * failure store (FAILED, with a due time) or to an operator (ERROR) in the consuming
 * transaction, which commits: nothing waits only in a dead-letter queue.
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

    /**
     * @param dispatch the number of the dispatch whose JMS message this is; empty for a message
     *                 from before dispatches were numbered, taken as the latest
     */
    public DeliveryOutcome deliver(String deliveryId, OptionalInt dispatch) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        DispatchCheck check = delivery == null
                ? DispatchCheck.NOT_VISIBLE_YET
                : delivery.check(dispatch.orElse(delivery.dispatches()));
        return switch (check) {
            case CURRENT -> attempt(delivery);
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

    private DeliveryOutcome attempt(Delivery delivery) {
        int attempt = delivery.attempts() + 1;
        ReceiverResponse response = routing.receiver(delivery.receiver())
                .map(endpoint -> client.post(endpoint, delivery))
                .orElseGet(() -> ReceiverResponse.failed("receiver '" + delivery.receiver() + "' is no longer configured"));
        if (response.success()) {
            delivery.delivered(Instant.now());
            if (delivery.isInOrder()) {
                gate.advance(delivery).ifPresent(dispatcher::dispatch);
            }
            return DeliveryOutcome.DELIVERED;
        }
        if (response.permanent() || delivery.isResendRound() || retryLimit.isLast(attempt)) {
            return giveUp(delivery, attempt, response);
        }
        return retryLater(delivery, attempt, response);
    }

    private DeliveryOutcome retryLater(Delivery delivery, int attempt, ReceiverResponse response) {
        attempts.recordFailure(delivery.id(), response.error());
        LOG.warning(() -> "Delivery of " + describe(delivery) + " failed (attempt " + attempt + "): "
                + response.error() + "; the broker retries it");
        return DeliveryOutcome.FAILED;
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
