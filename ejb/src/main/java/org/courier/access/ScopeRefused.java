package org.courier.access;

import jakarta.ejb.ApplicationException;

/**
 * An operator asked for something its {@link OperatorScope} does not reach: an action beyond
 * messages (the resend job, the retention purge) or one on everything a queue holds. Answered
 * 403 with the reason; nothing was changed. (A single message, call or queue outside the scope is
 * not refused with this but answered as unknown: its existence is not the operator's to learn.)
 */
@ApplicationException(rollback = true)
public class ScopeRefused extends RuntimeException {

    public ScopeRefused(String reason) {
        super(reason);
    }
}
