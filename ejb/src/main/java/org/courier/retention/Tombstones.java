package org.courier.retention;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The tombstones of purged messages: looked up by the receipt, so that a sender's retry that
 * comes after its message was purged is refused instead of accepted as new; removed by the
 * purge job once older than the tombstone period.
 */
@Stateless
public class Tombstones {

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    @EJB
    private RetentionPeriods periods;

    /** The trace of (sender, message id), if a message with that id was accepted and has been purged since. */
    public Optional<Tombstone> find(String sender, String messageId) {
        return Optional.ofNullable(em.find(Tombstone.class, new TombstoneKey(sender, messageId)));
    }

    /** Removes the tombstones written longer than the tombstone period before {@code cutoff}; returns how many. */
    public int removeExpired(Instant cutoff) {
        Instant before = periods.policy().tombstonesBefore(cutoff);
        return em.createNativeQuery("DELETE FROM COURIER_TOMBSTONE WHERE PURGED_AT < ?")
                .setParameter(1, Timestamp.from(before))
                .executeUpdate();
    }
}
