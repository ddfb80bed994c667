package org.courier.status;

import java.time.Instant;
import java.util.List;
import org.courier.message.DeliveryState;
import org.courier.message.QualityOfService;

/**
 * An accepted message and where it stands with each of its receivers; for Exactly Once In
 * Order with its queue and place in it. {@code acceptedBy} is the node that accepted it (null for
 * messages of versions before the cluster's node ids were stored).
 */
public record MessageStatus(String sender, String messageId, String interfaceName, QualityOfService qualityOfService,
                            Instant acceptedAt, String acceptedBy, String queueId, Long sequence,
                            List<ReceiverDelivery> deliveries) {

    /**
     * One receiver's delivery: its state, how many attempts it took, the last error if it has
     * not succeeded, for a held delivery the message id it waits behind, and for one in the
     * failure store (or in doubt, with a status URL) when it is tried next, and how often it was
     * sent again while an earlier attempt was in doubt (each such request a possible duplicate),
     * and which node delivered it.
     */
    public record ReceiverDelivery(String receiver, DeliveryState state, int attempts, Instant lastAttemptAt,
                                   String lastError, Instant deliveredAt, String deliveredBy, String heldBehind,
                                   Instant nextAttemptAt,
                                   long possibleDuplicates, String part, String receiverMessageId) {
    }
}
