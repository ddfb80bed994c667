package org.courier.operations;

import java.util.List;

/** A page of in-order queues, blocked ones first; {@code more}: further queues follow from {@code offset + limit}. */
public record QueueList(List<QueueView> queues, int offset, int limit, boolean more) {
}
