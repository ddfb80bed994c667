-- A cluster of nodes on one database (docs/cluster.md). DISPATCHED_BY: the node whose broker holds
-- the JMS message of the delivery's current dispatch (set with DISPATCHES at every dispatch), so
-- that another node can dispatch again, from this row, a delivery whose node died. COURIER_NODE:
-- each node's heartbeat, in the database's time. Rows of earlier versions have no node: they were
-- dispatched by a single server, whose messages are in its own broker.
ALTER TABLE COURIER_DELIVERY ADD COLUMN DISPATCHED_BY VARCHAR(23);

CREATE TABLE COURIER_NODE (
    NODE_ID VARCHAR(23) NOT NULL,
    STARTED_AT TIMESTAMP NOT NULL,
    SEEN_AT TIMESTAMP NOT NULL,
    CONSTRAINT PK_COURIER_NODE PRIMARY KEY (NODE_ID)
);
