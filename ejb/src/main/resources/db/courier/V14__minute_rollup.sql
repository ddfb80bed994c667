-- What the overview's charts and window counts read instead of counting every message again
-- (docs/operations.md, "The overview"): per minute, sender, interface and receiver, the deliveries
-- of the messages accepted in that minute (ACCEPTED) and the deliveries delivered in it (DELIVERED);
-- rows with RECEIVER '' count the messages accepted (no receiver is named ''). Written from the
-- messages and deliveries themselves by schedule courier-minutes (once per cluster): a minute
-- closed since the last run, and the last 3 minutes again (a transaction that began in one minute
-- and committed in a later one); older minutes back to the oldest message, 6 hours per run, when a
-- store predates the table. COURIER_ROLLUP: which minutes the rows cover, [COVERED_FROM,
-- COVERED_TO); null before the first run.
CREATE TABLE COURIER_MINUTE (
    MINUTE_AT TIMESTAMP NOT NULL,
    SENDER VARCHAR(60) NOT NULL,
    INTERFACE_NAME VARCHAR(120) NOT NULL,
    RECEIVER VARCHAR(60) NOT NULL,
    ACCEPTED BIGINT NOT NULL,
    DELIVERED BIGINT NOT NULL,
    CONSTRAINT PK_COURIER_MINUTE PRIMARY KEY (MINUTE_AT, SENDER, INTERFACE_NAME, RECEIVER)
);

-- The backlog (deliveries pending, held, in the failure store or in doubt) as the same schedule
-- found it at the start of each minute, per sender, interface and receiver; the row with SENDER,
-- INTERFACE_NAME and RECEIVER '' holds the whole backlog and marks the minute as sampled (a minute
-- without it was not: Courier was down).
CREATE TABLE COURIER_BACKLOG (
    SAMPLED_AT TIMESTAMP NOT NULL,
    SENDER VARCHAR(60) NOT NULL,
    INTERFACE_NAME VARCHAR(120) NOT NULL,
    RECEIVER VARCHAR(60) NOT NULL,
    WAITING BIGINT NOT NULL,
    CONSTRAINT PK_COURIER_BACKLOG PRIMARY KEY (SAMPLED_AT, SENDER, INTERFACE_NAME, RECEIVER)
);

CREATE TABLE COURIER_ROLLUP (
    NAME VARCHAR(64) NOT NULL,
    COVERED_FROM TIMESTAMP,
    COVERED_TO TIMESTAMP,
    CONSTRAINT PK_COURIER_ROLLUP PRIMARY KEY (NAME)
);

INSERT INTO COURIER_ROLLUP (NAME) VALUES ('minutes');
INSERT INTO COURIER_SCHEDULE (NAME, NEXT_RUN_AT) VALUES ('courier-minutes', TIMESTAMP '2000-01-01 00:00:00');

-- the deliveries delivered in a minute, found without reading the others
CREATE INDEX IX_COURIER_DELIVERY_DELIVERED ON COURIER_DELIVERY (DELIVERED_AT);
