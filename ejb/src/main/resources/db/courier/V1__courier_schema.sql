-- Courier's schema as of version 0.1, for H2 and PostgreSQL alike (${text}: CLOB on H2, TEXT
-- on PostgreSQL). Databases created before versioned migrations already have it: Flyway
-- baselines them at version 1 and starts with V2.

-- COURIER_MESSAGE is the idempotency record: its unique key on (SENDER, MESSAGE_ID) decides which
-- of two concurrent sends of one id wins. SEQUENCE_NO is the place in its in-order queue.
CREATE TABLE COURIER_MESSAGE (
    ID VARCHAR(36) NOT NULL,
    SENDER VARCHAR(60) NOT NULL,
    MESSAGE_ID VARCHAR(200) NOT NULL,
    INTERFACE_NAME VARCHAR(120) NOT NULL,
    QOS VARCHAR(24) NOT NULL,
    QUEUE_ID VARCHAR(16),
    PAYLOAD_HASH VARCHAR(64) NOT NULL,
    PAYLOAD ${text} NOT NULL,
    ACCEPTED_AT TIMESTAMP NOT NULL,
    SEQUENCE_NO BIGINT,
    CONSTRAINT PK_COURIER_MESSAGE PRIMARY KEY (ID),
    CONSTRAINT UK_COURIER_MESSAGE_SENDER_ID UNIQUE (SENDER, MESSAGE_ID)
);

-- Exactly Once In Order. COURIER_QUEUE numbers the messages of one (sender, queue id);
-- COURIER_LANE is that queue's ordered stream to one receiver and points at the one delivery
-- allowed to go out (HEAD_DELIVERY_ID); later deliveries wait as HELD rows, found in sequence
-- order through IX_COURIER_DELIVERY_LANE.
CREATE TABLE COURIER_QUEUE (
    ID VARCHAR(36) NOT NULL,
    SENDER VARCHAR(60) NOT NULL,
    QUEUE_ID VARCHAR(16) NOT NULL,
    LAST_SEQUENCE BIGINT NOT NULL,
    POLICY VARCHAR(8) NOT NULL,
    CONSTRAINT PK_COURIER_QUEUE PRIMARY KEY (ID),
    CONSTRAINT UK_COURIER_QUEUE_SENDER_QUEUE UNIQUE (SENDER, QUEUE_ID)
);

CREATE TABLE COURIER_LANE (
    ID VARCHAR(36) NOT NULL,
    QUEUE_KEY VARCHAR(36) NOT NULL,
    RECEIVER VARCHAR(60) NOT NULL,
    HEAD_DELIVERY_ID VARCHAR(36),
    CONSTRAINT PK_COURIER_LANE PRIMARY KEY (ID),
    CONSTRAINT UK_COURIER_LANE_RECEIVER UNIQUE (QUEUE_KEY, RECEIVER),
    CONSTRAINT FK_COURIER_LANE_QUEUE FOREIGN KEY (QUEUE_KEY) REFERENCES COURIER_QUEUE (ID)
);

-- One row per message and receiver; the unique key (MESSAGE_KEY, RECEIVER) also serves the
-- status look-up. Failure store: FAILED deliveries are resent by the scheduled job when
-- NEXT_RESEND_AT is due. DISPATCHES: each JMS message of the delivery queue carries the number
-- of its dispatch; one left over from an earlier dispatch is dropped, so only one message at a
-- time makes attempts for a delivery.
CREATE TABLE COURIER_DELIVERY (
    ID VARCHAR(36) NOT NULL,
    MESSAGE_KEY VARCHAR(36) NOT NULL,
    RECEIVER VARCHAR(60) NOT NULL,
    STATE VARCHAR(16) NOT NULL,
    ATTEMPTS INTEGER NOT NULL,
    LAST_ATTEMPT_AT TIMESTAMP,
    LAST_ERROR VARCHAR(1000),
    DELIVERED_AT TIMESTAMP,
    VERSION BIGINT NOT NULL,
    LANE_ID VARCHAR(36),
    SEQUENCE_NO BIGINT,
    NEXT_RESEND_AT TIMESTAMP,
    RESENDS INTEGER DEFAULT 0 NOT NULL,
    DISPATCHES INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT PK_COURIER_DELIVERY PRIMARY KEY (ID),
    CONSTRAINT UK_COURIER_DELIVERY_RECEIVER UNIQUE (MESSAGE_KEY, RECEIVER),
    CONSTRAINT FK_COURIER_DELIVERY_MESSAGE FOREIGN KEY (MESSAGE_KEY) REFERENCES COURIER_MESSAGE (ID)
);
CREATE INDEX IX_COURIER_DELIVERY_LANE ON COURIER_DELIVERY (LANE_ID, STATE, SEQUENCE_NO);
CREATE INDEX IX_COURIER_DELIVERY_DUE ON COURIER_DELIVERY (STATE, NEXT_RESEND_AT);

-- Retention: a purged message leaves a compact tombstone of its (SENDER, MESSAGE_ID), which
-- tells a sender's late retry from a new message; tombstones expire by PURGED_AT.
CREATE TABLE COURIER_TOMBSTONE (
    SENDER VARCHAR(60) NOT NULL,
    MESSAGE_ID VARCHAR(200) NOT NULL,
    PAYLOAD_HASH VARCHAR(64) NOT NULL,
    ACCEPTED_AT TIMESTAMP NOT NULL,
    PURGED_AT TIMESTAMP NOT NULL,
    CONSTRAINT PK_COURIER_TOMBSTONE PRIMARY KEY (SENDER, MESSAGE_ID)
);
CREATE INDEX IX_COURIER_TOMBSTONE_PURGED ON COURIER_TOMBSTONE (PURGED_AT);

-- Non-idempotent receivers: each attempt is committed here before its request is sent, and gets
-- its OUTCOME when that is known; an attempt without one is in doubt. No foreign key to
-- COURIER_DELIVERY on purpose: the attempt is inserted while the delivery agent holds that row
-- FOR UPDATE, and a key check on the parent row would wait for it (the purge deletes both).
CREATE TABLE COURIER_ATTEMPT (
    ID VARCHAR(36) NOT NULL,
    DELIVERY_ID VARCHAR(36) NOT NULL,
    STARTED_AT TIMESTAMP NOT NULL,
    ENDED_AT TIMESTAMP,
    OUTCOME VARCHAR(24),
    DETAIL VARCHAR(1000),
    CONSTRAINT PK_COURIER_ATTEMPT PRIMARY KEY (ID)
);
CREATE INDEX IX_COURIER_ATTEMPT_DELIVERY ON COURIER_ATTEMPT (DELIVERY_ID, OUTCOME);
