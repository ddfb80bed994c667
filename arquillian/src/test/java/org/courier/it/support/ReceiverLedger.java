package org.courier.it.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of what a {@link TestReceiver} got, read the way an idempotent receiver sees it:
 * only requests answered 2xx count as delivered, and of several deliveries of one
 * (sender, message id) only the first has an effect. Order is the order in which the receiver
 * recorded the arrivals, which is the order of its answers: Courier sends the next message of a
 * queue only after the previous one was answered, so that order is the delivery order.
 *
 * <p>Immutable; take a new snapshot with {@link #of(TestReceiver)} to see later arrivals.
 */
public final class ReceiverLedger {

    private final List<TestReceiver.Arrival> delivered;
    private final List<TestReceiver.Arrival> firstDeliveries;
    private final Map<Key, Integer> deliveriesPerMessage;

    private ReceiverLedger(List<TestReceiver.Arrival> arrivals) {
        this.delivered = arrivals.stream().filter(TestReceiver.Arrival::answered2xx).toList();
        Map<Key, Integer> counts = new HashMap<>();
        List<TestReceiver.Arrival> firsts = new ArrayList<>();
        for (TestReceiver.Arrival arrival : delivered) {
            if (counts.merge(Key.of(arrival), 1, Integer::sum) == 1) {
                firsts.add(arrival);
            }
        }
        this.firstDeliveries = List.copyOf(firsts);
        this.deliveriesPerMessage = Map.copyOf(counts);
    }

    /** What the receiver has recorded up to now. */
    public static ReceiverLedger of(TestReceiver receiver) {
        return new ReceiverLedger(receiver.arrivals());
    }

    /** Every request answered 2xx, repeats included, in order of arrival. */
    public List<TestReceiver.Arrival> delivered() {
        return delivered;
    }

    /** The first 2xx arrival of each (sender, message id), in order of arrival. */
    public List<TestReceiver.Arrival> firstDeliveries() {
        return firstDeliveries;
    }

    /** The first 2xx arrival of each message of this sender's queue, in order of arrival. */
    public List<TestReceiver.Arrival> firstDeliveries(String sender, String queueId) {
        return firstDeliveries.stream()
                .filter(a -> Objects.equals(sender, a.sender()) && Objects.equals(queueId, a.queueId()))
                .toList();
    }

    /** The message ids of {@link #firstDeliveries(String, String)}, in order of arrival. */
    public List<String> messageIds(String sender, String queueId) {
        return firstDeliveries(sender, queueId).stream().map(TestReceiver.Arrival::messageId).toList();
    }

    /**
     * The {@code Courier-Sequence} headers of {@link #firstDeliveries(String, String)}, in order of
     * arrival ({@code null} for a delivery without that header).
     */
    public List<Long> sequences(String sender, String queueId) {
        return firstDeliveries(sender, queueId).stream().map(TestReceiver.Arrival::sequence).toList();
    }

    /** The message ids of this sender that were answered 2xx at least once. */
    public Set<String> deliveredIds(String sender) {
        Set<String> ids = new HashSet<>();
        for (TestReceiver.Arrival arrival : firstDeliveries) {
            if (Objects.equals(sender, arrival.sender())) {
                ids.add(arrival.messageId());
            }
        }
        return ids;
    }

    /** Whether every one of these message ids of this sender was answered 2xx at least once. */
    public boolean deliveredAll(String sender, Collection<String> messageIds) {
        return deliveredIds(sender).containsAll(messageIds);
    }

    /** How often this message of this sender was answered 2xx. */
    public int deliveries(String sender, String messageId) {
        return deliveriesPerMessage.getOrDefault(new Key(sender, messageId), 0);
    }

    /** The 2xx arrivals of this sender beyond the first of each message id: what a receiver deduplicates. */
    public long repeats(String sender) {
        return delivered.stream().filter(a -> Objects.equals(sender, a.sender())).count()
                - firstDeliveries.stream().filter(a -> Objects.equals(sender, a.sender())).count();
    }

    /** The message ids of this sender that were answered 2xx more than once. */
    public Map<String, Integer> repeated(String sender) {
        Map<String, Integer> repeated = new LinkedHashMap<>();
        deliveriesPerMessage.forEach((key, count) -> {
            if (count > 1 && Objects.equals(sender, key.sender())) {
                repeated.put(key.messageId(), count);
            }
        });
        return repeated;
    }

    private record Key(String sender, String messageId) {
        static Key of(TestReceiver.Arrival arrival) {
            return new Key(arrival.sender(), arrival.messageId());
        }
    }
}
