package org.courier.h2;

import java.sql.SQLException;
import java.util.Arrays;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * H2's {@link XAResource} with the rollback of a crashed transaction's branch made to work.
 *
 * <p>H2 2.2 rolls a prepared branch back ({@code ROLLBACK TRANSACTION}) only while a flag of the
 * connection says "prepared"; {@code recover()} sets it when it finds branches, and every
 * {@code commit} or {@code rollback} clears it. Otherwise its {@code rollback(xid)} rolls back
 * the connection's own (empty) work and reports success. During crash recovery the transaction
 * manager commits or rolls back several branches on one recovery connection: after the first,
 * each rollback of an orphan branch (prepared before a crash, its transaction never logged, so
 * presumed aborted) silently does nothing, and the branch keeps its rows locked across restarts
 * until a recovery scan happens to roll it back first. Courier's crash tests found such a branch
 * still locking a message id 13 minutes after the last restart.
 *
 * <p>Here a rollback of a branch this connection did not start is a recovery rollback: it asks
 * H2 for the branches in doubt (which arms H2's flag) and rolls the branch back if it is one of
 * them, or answers {@link XAException#XAER_NOTA} if H2 has no such branch. A commit or rollback
 * of a branch H2 does not know (H2 error 90129) is reported as {@code XAER_NOTA} too, not as an
 * exception without error code. Everything else is H2's own behaviour.
 */
final class RecoveringXAResource implements XAResource {

    /** H2's "transaction not found" error code. */
    private static final int TRANSACTION_NOT_FOUND = 90129;

    private final XAResource h2;
    /** The branch this connection works on, from start until its commit or rollback. */
    private volatile Xid started;

    RecoveringXAResource(XAResource h2) {
        this.h2 = h2;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        h2.start(xid, flags);
        if (flags != TMRESUME) {
            started = xid;
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        h2.end(xid, flags);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return h2.prepare(xid);
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            h2.commit(xid, onePhase);
        } catch (XAException e) {
            throw notFoundAsNota(e);
        } finally {
            finished(xid);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        Xid own = started;
        if (own != null && sameBranch(own, xid)) {
            try {
                h2.rollback(xid);
            } finally {
                finished(xid);
            }
            return;
        }
        if (own != null) {
            // never done by a transaction manager: the connection is busy with another branch
            throw new XAException(XAException.XAER_PROTO);
        }
        rollbackInDoubt(xid);
    }

    private void rollbackInDoubt(Xid xid) throws XAException {
        for (Xid inDoubt : h2.recover(TMSTARTRSCAN)) {
            if (sameBranch(inDoubt, xid)) {
                try {
                    h2.rollback(inDoubt);
                } catch (XAException e) {
                    throw notFoundAsNota(e);
                }
                return;
            }
        }
        throw new XAException(XAException.XAER_NOTA);
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        return h2.recover(flag);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        h2.forget(xid);
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return h2.getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return h2.setTransactionTimeout(seconds);
    }

    private void finished(Xid xid) {
        Xid own = started;
        if (own != null && sameBranch(own, xid)) {
            started = null;
        }
    }

    static boolean sameBranch(Xid a, Xid b) {
        return a.getFormatId() == b.getFormatId()
                && Arrays.equals(a.getGlobalTransactionId(), b.getGlobalTransactionId())
                && Arrays.equals(a.getBranchQualifier(), b.getBranchQualifier());
    }

    private static XAException notFoundAsNota(XAException e) {
        if (e.getCause() instanceof SQLException sql && sql.getErrorCode() == TRANSACTION_NOT_FOUND) {
            XAException nota = new XAException(XAException.XAER_NOTA);
            nota.initCause(sql);
            return nota;
        }
        return e;
    }
}
