package org.courier.it.support;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.Interceptor;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.protocol.core.impl.wireformat.SessionXACommitMessage;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The other broker the JMS receivers' tests deliver to: an Apache ActiveMQ Artemis server in the
 * test JVM (so that it lives on when the tests kill Courier), on 127.0.0.1:{@value #PORT}, with a
 * persistent journal under {@code directory} and no users. The test server reaches it through the
 * pooled connection factory {@code java:/jms/partner-broker} (src/test/cli/test-jms-receivers.cli),
 * as an operator would configure one (docs/jms.md).
 *
 * <p>What the tests read: how many messages a queue holds, the messages themselves (consumed, as
 * the receiving application would), and the transactions prepared in the broker and not yet
 * committed or rolled back (branches left by a kill, for transaction recovery to settle).
 */
public final class PartnerBroker implements AutoCloseable {

    public static final int PORT = 18118;
    private static final String URL = "tcp://127.0.0.1:" + PORT;

    private final Path directory;
    private volatile EmbeddedActiveMQ server;
    private volatile Duration commitDelay = Duration.ZERO;

    private PartnerBroker(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    /** Starts a broker with its journal under {@code directory} (its messages kept from an earlier start there). */
    public static PartnerBroker start(Path directory) throws Exception {
        PartnerBroker broker = new PartnerBroker(directory);
        broker.startServer();
        return broker;
    }

    private void startServer() throws Exception {
        Configuration configuration = new ConfigurationImpl()
                .setName("partner-broker")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setCriticalAnalyzer(false)
                .setJournalDirectory(directory.resolve("journal").toString())
                .setBindingsDirectory(directory.resolve("bindings").toString())
                .setLargeMessagesDirectory(directory.resolve("large-messages").toString())
                .setPagingDirectory(directory.resolve("paging").toString())
                .addAcceptorConfiguration("partner", URL)
                // as docs/jms.md asks of a channel's queue: a message Courier could not take now (rolled back)
                // is never dead-lettered by the broker; Courier dead-letters what it refuses itself
                .addAddressSetting("#", new AddressSettings().setMaxDeliveryAttempts(-1).setRedeliveryDelay(500L));
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ().setConfiguration(configuration);
        embedded.start();
        embedded.getActiveMQServer().getRemotingService().addIncomingInterceptor((Interceptor) (packet, connection) -> {
            if (packet instanceof SessionXACommitMessage && !commitDelay.isZero()) {
                try {
                    Thread.sleep(commitDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        });
        server = embedded;
    }

    /**
     * Holds every XA commit that long before the broker carries it out: transactions stay prepared
     * here for a while, so that a kill of their transaction manager finds some (for recovery to settle).
     */
    public void slowCommits(Duration delay) {
        commitDelay = delay;
    }

    /** Stops the broker: Courier finds it out of reach until {@link #restart()}. */
    public void stop() throws Exception {
        EmbeddedActiveMQ running = server;
        if (running != null) {
            running.stop();
            server = null;
        }
    }

    /** Starts it again on the same journal. */
    public void restart() throws Exception {
        stop();
        startServer();
    }

    /** Messages in {@code queue} (delivered to no consumer yet); 0 for a queue not made yet. */
    public long count(String queue) {
        Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getMessageCount();
    }

    /** Transactions prepared in the broker and not yet settled (XA branches waiting for their transaction manager). */
    public int prepared() {
        return server.getActiveMQServer().getResourceManager().getPreparedTransactions().size();
    }

    /** A message as the receiving application gets it: its text and its properties. */
    public record Received(String text, String correlationId, Map<String, Object> properties) {

        public String property(String name) {
            Object value = properties.get(name);
            return value == null ? null : value.toString();
        }
    }

    /** Takes every message of {@code queue} that is there now, in the queue's order (a consumer that empties it). */
    public List<Received> take(String queue) throws JMSException {
        List<Received> taken = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue))) {
            for (Message message = consumer.receive(1000); message != null; message = consumer.receive(300)) {
                Map<String, Object> properties = new LinkedHashMap<>();
                for (Object name : Collections.list((Enumeration<?>) message.getPropertyNames())) {
                    properties.put((String) name, message.getObjectProperty((String) name));
                }
                taken.add(new Received(((TextMessage) message).getText(), message.getJMSCorrelationID(), properties));
            }
        }
        return taken;
    }

    /** Puts a text message into {@code queue}, with {@code properties}; its JMSMessageID. */
    public String put(String queue, String text, Map<String, String> properties) throws JMSException {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            TextMessage message = context.createTextMessage(text);
            for (Map.Entry<String, String> property : properties.entrySet()) {
                message.setStringProperty(property.getKey(), property.getValue());
            }
            context.createProducer().send(context.createQueue(queue), message);
            return message.getJMSMessageID();
        }
    }

    /** Puts text messages into {@code queue} in this order, each with the property CourierMessageId = its id. */
    public void putAll(String queue, Map<String, String> textById) throws JMSException {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            var producer = context.createProducer();
            var destination = context.createQueue(queue);
            for (Map.Entry<String, String> message : textById.entrySet()) {
                TextMessage text = context.createTextMessage(message.getValue());
                text.setStringProperty("CourierMessageId", message.getKey());
                producer.send(destination, text);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
