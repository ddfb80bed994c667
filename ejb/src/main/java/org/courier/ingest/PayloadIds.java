package org.courier.ingest;

import java.nio.charset.StandardCharsets;
import org.courier.content.XmlPayload;
import org.courier.routing.RoutingTable;

/** Message ids for senders whose protocol carries none, taken from the payload as their route says. */
public final class PayloadIds {

    private PayloadIds() {
    }

    /**
     * The command with the id its route takes from the payload (configured XPath values, or the
     * canonical payload's hash), if it came without one and the route says how; else as it is.
     * A payload over the size limit is left to the validator, which refuses it, before it is
     * parsed; a payload without the values is {@code INVALID_REQUEST}.
     */
    public static SendCommand withIdFromPayload(SendCommand command, RoutingTable routing) {
        if (command.hasMessageId() || command.sender() == null || command.interfaceName() == null
                || command.payload() == null
                || command.payload().getBytes(StandardCharsets.UTF_8).length > routing.maxPayloadBytes()) {
            return command;
        }
        return routing.messageIdentityFor(command.sender(), command.interfaceName()).map(identity -> {
            try {
                return command.withMessageId(identity.idOf(command.payload()));
            } catch (XmlPayload.UnreadablePayload missing) {
                throw new RequestRejected(FaultCode.INVALID_REQUEST, "no messageId was sent, and " + missing.getMessage());
            }
        }).orElse(command);
    }
}
