package org.courier.delivery;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import org.courier.message.Delivery;
import org.courier.message.DeliveryState;

/** Records a failed attempt durably, in its own transaction, so it survives the rollback that asks for a retry. */
@Stateless
public class DeliveryAttempts {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void recordFailure(String deliveryId, String error) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery != null && delivery.state() == DeliveryState.PENDING) {
            delivery.failed(Instant.now(), error);
        }
    }
}
