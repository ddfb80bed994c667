-- Narayana's commit-markable resource (server/cli/configure-courier.cli, docs/database.md): the
-- id of every transaction in which Courier's database commits as the last resource beside the
-- broker, written by the transaction manager in the same local commit as Courier's rows, so that
-- recovery after a crash knows exactly whether the database committed. The recovery scan deletes
-- the rows of finished transactions in batches. Names, columns and index as the transaction
-- manager expects them (WildFly's admin guide, "commit-markable-resources"); BYTEA is H2's
-- VARBINARY. On PostgreSQL CourierDS is an XA data source by default and the table stays empty.
CREATE TABLE xids (xid BYTEA, transactionManagerID VARCHAR(64), actionuid BYTEA);
CREATE UNIQUE INDEX index_xid ON xids (xid);
