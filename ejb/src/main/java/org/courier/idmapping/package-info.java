/**
 * Message identity: the id formats receivers need ({@link org.courier.idmapping.IdFormat}), the
 * repeatable mapping of a sender's id to a receiver's ({@link org.courier.idmapping.IdMapper},
 * stored or derived), and ids taken from payloads for senders without ids
 * ({@link org.courier.idmapping.PayloadIdentity}).
 */
package org.courier.idmapping;
