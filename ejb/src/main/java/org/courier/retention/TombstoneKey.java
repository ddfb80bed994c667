package org.courier.retention;

import java.io.Serializable;
import java.util.Objects;

/** The key of a {@link Tombstone}: the purged message's sender and message id. */
public class TombstoneKey implements Serializable {

    private static final long serialVersionUID = 1L;

    private String sender;
    private String messageId;

    public TombstoneKey() {
    }

    public TombstoneKey(String sender, String messageId) {
        this.sender = sender;
        this.messageId = messageId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TombstoneKey key && Objects.equals(sender, key.sender)
                && Objects.equals(messageId, key.messageId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, messageId);
    }
}
