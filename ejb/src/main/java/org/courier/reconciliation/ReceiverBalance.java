package org.courier.reconciliation;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * One receiver's side of a reconciliation, counted in deliveries (one per message part it gets).
 * {@code expected}: the distinct parts Courier took on for it, plus messages its route names it
 * for that have no delivery to it ({@code missing}). The buckets count delivery rows;
 * {@code unplaced} counts rows in a state no bucket holds, {@code duplicates} the extra rows of a
 * part recorded more than once. It adds up when the buckets sum to {@code expected} and none of
 * {@code unplaced}, {@code missing}, {@code duplicates} occurred.
 */
@JsonbPropertyOrder({"receiver", "expected", "delivered", "pending", "failed", "cancelled", "inDoubt", "unplaced",
        "missing", "duplicates", "addsUp"})
public record ReceiverBalance(String receiver, long expected, long delivered, long pending, long failed, long cancelled,
                              long inDoubt, long unplaced, long missing, long duplicates, boolean addsUp) {

    /** The balance of these counts, {@code addsUp} worked out. */
    static ReceiverBalance of(String receiver, long expected, long delivered, long pending, long failed, long cancelled,
                              long inDoubt, long unplaced, long missing, long duplicates) {
        boolean addsUp = delivered + pending + failed + cancelled + inDoubt == expected
                && unplaced == 0 && missing == 0 && duplicates == 0;
        return new ReceiverBalance(receiver, expected, delivered, pending, failed, cancelled, inDoubt, unplaced, missing,
                duplicates, addsUp);
    }
}
