-- Which node of a cluster accepted a message, and which one delivered each of its deliveries
-- (courier.node.id; docs/cluster.md), for the status, the monitor and the admin API. Rows of
-- earlier versions have none.
ALTER TABLE COURIER_MESSAGE ADD COLUMN ACCEPTED_BY VARCHAR(23);
ALTER TABLE COURIER_DELIVERY ADD COLUMN DELIVERED_BY VARCHAR(23);
