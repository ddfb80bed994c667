package org.courier.reconciliation;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * Whether one sender's messages accepted in [{@code from}, {@code to}) add up. {@code accepted}
 * splits into {@code withDeliveries}, {@code aggregated} (handed to an aggregator: their content
 * travels on in an aggregate, a message of the aggregator's own) and {@code withoutDelivery}
 * (each listed as unbalanced). {@code unbalanced} lists at most {@value Reconciliation#MAX_LISTED}
 * entries; {@code unbalancedTotal} counts them all.
 */
@JsonbPropertyOrder({"sender", "from", "to", "accepted", "withDeliveries", "aggregated", "withoutDelivery", "receivers",
        "unbalancedTotal", "unbalanced", "addsUp"})
public record ReconciliationReport(String sender, Instant from, Instant to, long accepted, long withDeliveries,
                                   long aggregated, long withoutDelivery, List<ReceiverBalance> receivers,
                                   long unbalancedTotal, List<Unbalanced> unbalanced, boolean addsUp) {

    /** The report of these counts: it adds up when nothing is unbalanced and every receiver adds up. */
    static ReconciliationReport of(String sender, Instant from, Instant to, long accepted, long withDeliveries,
                                   long aggregated, long withoutDelivery, List<ReceiverBalance> receivers,
                                   long unbalancedTotal, List<Unbalanced> unbalanced) {
        boolean addsUp = unbalancedTotal == 0 && accepted == withDeliveries + aggregated + withoutDelivery
                && receivers.stream().allMatch(ReceiverBalance::addsUp);
        return new ReconciliationReport(sender, from, to, accepted, withDeliveries, aggregated, withoutDelivery,
                List.copyOf(receivers), unbalancedTotal, List.copyOf(unbalanced), addsUp);
    }
}
