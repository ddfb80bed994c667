/**
 * What operators can see and do beyond the senders' contract: in-order queues (listed blocked
 * first), their lanes and the messages held in them, and the actions on a blocked queue
 * (resend or cancel its head, change its policy), and the actions on one delivery.
 * Every action runs in one transaction under the lane's lock, like delivery itself. Every view
 * and action takes the operator's scope ({@link org.courier.access.OperatorScope}): what lies
 * outside it is not listed, not counted and answered as unknown.
 */
package org.courier.operations;
