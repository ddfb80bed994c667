package org.courier.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.courier.content.IdocDocument;
import org.courier.content.ItemSplit;
import org.courier.content.XmlPayload;
import org.courier.ingest.CheckedReceipt.PlannedDelivery;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.Route;
import org.courier.routing.RoutingTable;

/** The deliveries a message makes by its route. */
final class DeliveryPlan {

    private DeliveryPlan() {
    }

    /**
     * Per target of the route (a receiver, or a branch to one), the whole message or, if the route
     * splits, each item; numbered per receiver in that order. A split that finds no usable items,
     * or a payload (or item) for an IDoc receiver that is not one IDoc, refuses the message before
     * anything is stored.
     */
    static List<PlannedDelivery> of(SendCommand command, Route route, RoutingTable routing) {
        List<ItemSplit.Item> items;
        try {
            items = route.split() == null ? List.of() : route.split().items(command.payload());
        } catch (XmlPayload.UnreadablePayload unusable) {
            throw new RequestRejected(FaultCode.INVALID_REQUEST, "the message cannot be split: " + unusable.getMessage());
        }
        List<PlannedDelivery> planned = new ArrayList<>();
        Map<String, Integer> partsPerReceiver = new HashMap<>();
        for (Route.Target target : route.targets()) {
            ReceiverEndpoint receiver = routing.receiver(target.receiver()).orElseThrow();
            List<ItemSplit.Item> parts = items.isEmpty() ? Collections.singletonList(null) : items;
            for (ItemSplit.Item item : parts) {
                String part = item == null ? target.branch()
                        : target.branch().isEmpty() ? item.name() : target.branch() + "/" + item.name();
                if (receiver.protocol().carriesIdocs()) {
                    String breach = IdocDocument.breach(item == null ? command.payload() : item.xml());
                    if (breach != null) {
                        throw new RequestRejected(FaultCode.INVALID_REQUEST, "receiver " + receiver.name() + " takes IDocs: "
                                + breach);
                    }
                }
                int partNo = partsPerReceiver.merge(receiver.name(), 1, Integer::sum) - 1;
                planned.add(new PlannedDelivery(receiver, part, partNo, item == null ? null : item.xml()));
            }
        }
        return planned;
    }
}
