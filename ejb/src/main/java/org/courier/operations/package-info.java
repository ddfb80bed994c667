/**
 * What operators can see and do beyond the senders' contract: in-order queues (listed blocked
 * first), their lanes and the messages held in them, and the actions on a blocked queue
 * (resend or cancel its head, change its policy).
 * Every action runs in one transaction under the lane's lock, like delivery itself.
 */
package org.courier.operations;
