-- Least privilege: an audit row names the sender (and, for an action on one message, the
-- interface) of what it concerned, so that an operator bound to some senders or interfaces reads
-- only the rows within its scope. Both are null for an action that concerns no one sender (the
-- resend job, the retention purge) and for the rows written before this version: those are read
-- by unrestricted operators only. (SENDER, ACTED_AT) serves a scoped operator's newest-first page.
ALTER TABLE COURIER_AUDIT ADD COLUMN SENDER VARCHAR(60);
ALTER TABLE COURIER_AUDIT ADD COLUMN INTERFACE_NAME VARCHAR(120);
CREATE INDEX IX_COURIER_AUDIT_SENDER ON COURIER_AUDIT (SENDER, ACTED_AT);
