-- Admin API. Message searches are paged newest first by acceptance time, mostly for one sender:
-- (SENDER, ACCEPTED_AT) serves those and the reconciliation of a sender's window, (ACCEPTED_AT)
-- a search by time alone. Deliveries are searched by receiver and state ("what failed at erp").
-- Searches by interface or queue id alone are narrowed by these or scan: an index more on
-- COURIER_MESSAGE is one more write on every receipt, so only the common searches get one.
CREATE INDEX IX_COURIER_MESSAGE_SENDER_ACCEPTED ON COURIER_MESSAGE (SENDER, ACCEPTED_AT);
CREATE INDEX IX_COURIER_MESSAGE_ACCEPTED ON COURIER_MESSAGE (ACCEPTED_AT);
CREATE INDEX IX_COURIER_DELIVERY_RECEIVER_STATE ON COURIER_DELIVERY (RECEIVER, STATE);

-- The audit trail: one row per operator action through the admin API (who, what, when, the
-- HTTP status it ended with), written in a transaction of its own; the purge job removes rows
-- older than the failure retention period (courier.retention.failures).
CREATE TABLE COURIER_AUDIT (
    ID VARCHAR(36) NOT NULL,
    ACTED_AT TIMESTAMP NOT NULL,
    ACTOR VARCHAR(100) NOT NULL,
    ACTION VARCHAR(300) NOT NULL,
    PARAMETERS VARCHAR(2000),
    STATUS INTEGER NOT NULL,
    CONSTRAINT PK_COURIER_AUDIT PRIMARY KEY (ID)
);
CREATE INDEX IX_COURIER_AUDIT_ACTED ON COURIER_AUDIT (ACTED_AT);
CREATE INDEX IX_COURIER_AUDIT_ACTOR ON COURIER_AUDIT (ACTOR, ACTED_AT);
