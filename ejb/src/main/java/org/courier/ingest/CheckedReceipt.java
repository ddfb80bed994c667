package org.courier.ingest;

import java.util.List;
import org.courier.message.QualityOfService;
import org.courier.routing.ReceiverEndpoint;

/**
 * A send that passed every check and may be stored: its fields are valid, its route is known
 * and, for Exactly Once In Order, its queue exists.
 */
public record CheckedReceipt(SendCommand command, QualityOfService qos, String payloadHash,
                             List<ReceiverEndpoint> receivers) {
}
