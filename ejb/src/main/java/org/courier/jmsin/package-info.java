/**
 * Inbound JMS channels: queues of other brokers whose messages Courier takes as messages, each
 * stored exactly once ({@link org.courier.jmsin.JmsChannelConsumer}).
 */
package org.courier.jmsin;
