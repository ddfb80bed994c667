package org.courier.status;

import java.time.Instant;
import java.util.List;
import org.courier.message.DeliveryState;
import org.courier.message.QualityOfService;

/** An accepted message and where it stands with each of its receivers. */
public record MessageStatus(String sender, String messageId, String interfaceName, QualityOfService qualityOfService,
                            Instant acceptedAt, List<ReceiverDelivery> deliveries) {

    /** One receiver's delivery: its state, how many attempts it took, the last error if it has not succeeded. */
    public record ReceiverDelivery(String receiver, DeliveryState state, int attempts, Instant lastAttemptAt,
                                   String lastError, Instant deliveredAt) {
    }
}
