package org.courier.audit;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** One page of the audit trail, newest first: {@code total} entries match, {@code entries} are those of page {@code page}. */
@JsonbPropertyOrder({"page", "size", "total", "entries"})
public record AuditPage(int page, int size, long total, List<AuditEntry> entries) {
}
