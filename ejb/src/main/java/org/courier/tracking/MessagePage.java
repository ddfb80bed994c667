package org.courier.tracking;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** One page of a search, newest first: {@code total} messages match, {@code messages} are those of page {@code page}. */
@JsonbPropertyOrder({"page", "size", "total", "messages"})
public record MessagePage(int page, int size, long total, List<MessageSummary> messages) {
}
