package org.courier.audit;

import java.util.List;

/** One page of the audit trail, newest first: {@code total} entries match, {@code entries} are those of page {@code page}. */
public record AuditPage(int page, int size, long total, List<AuditEntry> entries) {
}
