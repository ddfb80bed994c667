-- The routing configuration in force on the cluster (docs/configuration.md): one row, the file a
-- node put in force (at its start, or reloaded by an operator), that every node takes at its next
-- heartbeat; and the version each node has in force, beside its heartbeat.
CREATE TABLE COURIER_CONFIGURATION (
    ID INT NOT NULL,
    VERSION VARCHAR(12) NOT NULL,
    CONTENT ${text} NOT NULL,
    CHANGED_AT TIMESTAMP NOT NULL,
    CHANGED_BY VARCHAR(100) NOT NULL,
    CHANGED_ON VARCHAR(23) NOT NULL,
    CONSTRAINT PK_COURIER_CONFIGURATION PRIMARY KEY (ID)
);

ALTER TABLE COURIER_NODE ADD COLUMN CONFIG_VERSION VARCHAR(12);
