-- Receiver health, shared by every node: a receiver is DOWN after too many failed attempts in a
-- row (its deliveries wait, FAILED without a due time, and one of them is sent now and then as a
-- probe), in MAINTENANCE when an operator says so (everything waits, nothing is probed), and UP
-- again after a successful attempt or an operator's word, when everything waiting goes out. A
-- receiver without a row is UP. SINCE orders the changes of all nodes (the later one wins);
-- NEXT_PROBE_AT is claimed by one node at a time with a conditional update.
CREATE TABLE COURIER_RECEIVER_HEALTH (
    RECEIVER VARCHAR(60) NOT NULL,
    STATE VARCHAR(16) NOT NULL,
    SINCE TIMESTAMP NOT NULL,
    FAILURES INTEGER NOT NULL,
    LAST_ERROR VARCHAR(1000),
    CHANGED_BY VARCHAR(200),
    NEXT_PROBE_AT TIMESTAMP,
    CONSTRAINT PK_COURIER_RECEIVER_HEALTH PRIMARY KEY (RECEIVER)
);
-- The waiting deliveries of a receiver (FAILED without a due time) and the drain's look-up use
-- IX_COURIER_DELIVERY_RECEIVER_STATE (V6) and IX_COURIER_DELIVERY_DUE (V1).
