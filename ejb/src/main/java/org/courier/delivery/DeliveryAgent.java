package org.courier.delivery;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.logging.Logger;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;
import org.courier.routing.RoutingTable;
import org.courier.sequencing.SequenceGate;

/**
 * Makes one delivery attempt inside the consuming transaction: POSTs the message to its
 * receiver unless it was delivered or cancelled before, and marks it delivered on a 2xx
 * answer; an in-order delivery then hands its lane to the next held message. A failure is
 * recorded by {@link DeliveryAttempts} in a transaction of its own, because the consuming
 * transaction rolls back for the broker to retry; when the last allowed attempt fails, the
 * delivery is marked FAILED in the consuming transaction, which commits: it waits for an
 * operator instead of a dead-letter queue.
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

    public DeliveryOutcome deliver(String deliveryId) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null || delivery.state() == DeliveryState.HELD || delivery.state() == DeliveryState.FAILED) {
            // only a PENDING delivery is ever dispatched: anything else is the dispatch not yet visible
            LOG.fine(() -> "Delivery " + deliveryId + " not visible yet; the broker retries it");
            return DeliveryOutcome.NOT_VISIBLE_YET;
        }
        if (delivery.state().isFinal()) {
            LOG.fine(() -> "Delivery " + deliveryId + " is " + delivery.state() + " already; not sent again");
            return DeliveryOutcome.ALREADY_SETTLED;
        }
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
        return retryLimit.isLast(attempt) ? giveUp(delivery, attempt, response) : retryLater(delivery, attempt, response);
    }

    private DeliveryOutcome retryLater(Delivery delivery, int attempt, ReceiverResponse response) {
        attempts.recordFailure(delivery.id(), response.error());
        LOG.warning(() -> "Delivery of " + describe(delivery) + " failed (attempt " + attempt + "): "
                + response.error() + "; the broker retries it");
        return DeliveryOutcome.FAILED;
    }

    private DeliveryOutcome giveUp(Delivery delivery, int attempt, ReceiverResponse response) {
        delivery.gaveUp(Instant.now(), response.error());
        boolean queueGoesOn = delivery.isInOrder() && gate.afterGivingUp(delivery).map(next -> {
            dispatcher.dispatch(next);
            return true;
        }).orElse(false);
        LOG.warning(() -> "Delivery of " + describe(delivery) + " FAILED after " + attempt + " attempts: "
                + response.error() + "; it waits for an operator"
                + (delivery.isInOrder() && !queueGoesOn ? " and its queue is blocked behind it" : ""));
        return DeliveryOutcome.GAVE_UP;
    }

    private static String describe(Delivery delivery) {
        String id = delivery.message().sender() + "/" + delivery.message().messageId();
        return delivery.isInOrder()
                ? id + " (queue " + delivery.message().queueId() + " #" + delivery.sequenceNo() + ") to " + delivery.receiver()
                : id + " to " + delivery.receiver();
    }
}
