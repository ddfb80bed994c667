-- ID mapping: a source id (sender/message id) and a context (the receiver, later also a split
-- item or a multicast branch) map to one target id in the form the receiver needs. The unique
-- key decides which of two concurrent first mappings of a pair wins; the loser reads the
-- winner's. TARGET_ID is indexed for the look-up the other way round (operators tracing an id
-- a receiver reports). EXPIRES_AT: when the purge job deletes the record (a derived id is the
-- same when computed again; a stored one is gone for good).
CREATE TABLE COURIER_ID_MAPPING (
    ID VARCHAR(36) NOT NULL,
    SOURCE_ID VARCHAR(261) NOT NULL,
    CONTEXT VARCHAR(200) NOT NULL,
    TARGET_ID VARCHAR(200) NOT NULL,
    FORMAT VARCHAR(120) NOT NULL,
    MAPPING VARCHAR(8) NOT NULL,
    CREATED_AT TIMESTAMP NOT NULL,
    EXPIRES_AT TIMESTAMP NOT NULL,
    CONSTRAINT PK_COURIER_ID_MAPPING PRIMARY KEY (ID),
    CONSTRAINT UK_COURIER_ID_MAPPING_SOURCE UNIQUE (SOURCE_ID, CONTEXT)
);
CREATE INDEX IX_COURIER_ID_MAPPING_TARGET ON COURIER_ID_MAPPING (TARGET_ID);
CREATE INDEX IX_COURIER_ID_MAPPING_EXPIRES ON COURIER_ID_MAPPING (EXPIRES_AT);

-- The id a delivery carries to its receiver when the receiver needs mapped ids.
ALTER TABLE COURIER_DELIVERY ADD COLUMN TARGET_MESSAGE_ID VARCHAR(300);

-- Secrets of this installation, made once at first use (the key of derived id mappings).
CREATE TABLE COURIER_SECRET (
    NAME VARCHAR(60) NOT NULL,
    SECRET_VALUE VARCHAR(128) NOT NULL,
    CONSTRAINT PK_COURIER_SECRET PRIMARY KEY (NAME)
);
