/**
 * What operators can see and do beyond the senders' contract: in-order queues and their
 * lanes, and the actions on a blocked queue (resend or cancel its head, change its policy).
 * Every action runs in one transaction under the lane's lock, like delivery itself.
 */
package org.courier.operations;
