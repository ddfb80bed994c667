/**
 * Courier on several nodes sharing one database (docs/cluster.md): each node's identity and
 * heartbeat, and the takeover of the work a dead node's broker held. Each node's delivery messages
 * stay in its own broker (the brokers' cluster forwards none); the database's rows are the truth,
 * so a node that does not come back loses nothing: once its heartbeat is older than the takeover
 * time, another node rolls back the transactions it left prepared in the database and dispatches
 * its pending deliveries again from their rows. The dead node's old messages carry an older
 * dispatch number and are dropped if it ever returns.
 */
package org.courier.cluster;
