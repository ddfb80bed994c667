package org.courier.audit;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/**
 * An audited action as the API shows it: when, who, what ({@code POST /delivery/cancel}), with
 * which query, how it ended, and the sender and interface it concerned ({@code null}: none in
 * particular, see {@link AuditSubject}).
 */
@JsonbNillable
@JsonbPropertyOrder({"at", "actor", "action", "parameters", "status", "sender", "interfaceName"})
public record AuditEntry(Instant at, String actor, String action, String parameters, int status, String sender,
                         @JsonbProperty("interface") String interfaceName) {

    static AuditEntry of(AuditRecord r) {
        return new AuditEntry(r.at(), r.actor(), r.action(), r.parameters(), r.status(), r.subject().sender(),
                r.subject().interfaceName());
    }
}
