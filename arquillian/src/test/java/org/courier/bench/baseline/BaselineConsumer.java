package org.courier.bench.baseline;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.JMSDestinationDefinition;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Takes the baseline messages in container-managed (XA) transactions with as many sessions as
 * Courier's delivery MDB has by default (16), reads each body and counts it: the broker's share
 * of Courier's work and nothing else.
 */
@JMSDestinationDefinition(name = BaselineConsumer.QUEUE, interfaceName = "jakarta.jms.Queue",
        destinationName = "CourierBenchmarkBaseline")
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = BaselineConsumer.QUEUE),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "16")
})
public class BaselineConsumer implements MessageListener {

    static final String QUEUE = "java:global/jms/CourierBenchmarkBaseline";

    @Inject
    private BaselineCounter counter;

    @Override
    public void onMessage(Message message) {
        try {
            message.getBody(byte[].class);
        } catch (JMSException e) {
            throw new IllegalStateException("unreadable baseline message", e);
        }
        counter.received();
    }
}
