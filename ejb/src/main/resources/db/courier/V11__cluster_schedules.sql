-- Schedules that run once per cluster (docs/cluster.md): every node's timer fires, and the node that
-- first finds a schedule due claims its run by moving NEXT_RUN_AT on (compare-and-set on the value it
-- read); the others find it not due. LAST_RUN_BY/LAST_RUN_AT: which node claimed the last run, when
-- (the database's time). One row per schedule, made here: nothing inserts at run time.
CREATE TABLE COURIER_SCHEDULE (
    NAME VARCHAR(64) NOT NULL,
    NEXT_RUN_AT TIMESTAMP NOT NULL,
    LAST_RUN_BY VARCHAR(23),
    LAST_RUN_AT TIMESTAMP,
    CONSTRAINT PK_COURIER_SCHEDULE PRIMARY KEY (NAME)
);

INSERT INTO COURIER_SCHEDULE (NAME, NEXT_RUN_AT) VALUES ('courier-resend', TIMESTAMP '2000-01-01 00:00:00');
INSERT INTO COURIER_SCHEDULE (NAME, NEXT_RUN_AT) VALUES ('courier-purge', TIMESTAMP '2000-01-01 00:00:00');
INSERT INTO COURIER_SCHEDULE (NAME, NEXT_RUN_AT) VALUES ('courier-aggregation-timeouts', TIMESTAMP '2000-01-01 00:00:00');
