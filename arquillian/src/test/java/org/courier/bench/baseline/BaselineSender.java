package org.courier.bench.baseline;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;

/**
 * Sends one persistent message per container transaction through the same pooled XA
 * connection factory Courier's own dispatch uses ({@code java:/JmsXA}).
 */
@Stateless
public class BaselineSender {

    @Inject
    @JMSConnectionFactory("java:/JmsXA")
    private JMSContext context;

    @Resource(lookup = BaselineConsumer.QUEUE)
    private Queue queue;

    public void send(byte[] body) {
        context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(queue, body);
    }
}
