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
import org.courier.routing.RoutingTable;

/**
 * Makes one delivery attempt inside the consuming transaction: POSTs the message to its
 * receiver unless it was delivered before, and marks it delivered on a 2xx answer.
 * A failure is recorded by {@link DeliveryAttempts} in a transaction of its own, because
 * the consuming transaction will roll back.
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

    public DeliveryOutcome deliver(String deliveryId, int attempt) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null) {
            LOG.fine(() -> "Delivery " + deliveryId + " not visible yet; the broker retries it");
            return DeliveryOutcome.NOT_VISIBLE_YET;
        }
        if (delivery.isDelivered()) {
            LOG.fine(() -> "Delivery " + deliveryId + " was delivered before; not sent again");
            return DeliveryOutcome.ALREADY_DELIVERED;
        }
        ReceiverResponse response = routing.receiver(delivery.receiver())
                .map(endpoint -> client.post(endpoint, delivery.message()))
                .orElseGet(() -> ReceiverResponse.failed("receiver '" + delivery.receiver() + "' is no longer configured"));
        if (response.success()) {
            delivery.delivered(Instant.now());
            return DeliveryOutcome.DELIVERED;
        }
        attempts.recordFailure(deliveryId, response.error());
        LOG.warning(() -> "Delivery of " + delivery.message().sender() + "/" + delivery.message().messageId()
                + " to " + delivery.receiver() + " failed (attempt " + attempt + "): " + response.error()
                + "; the broker retries it");
        return DeliveryOutcome.FAILED;
    }
}
