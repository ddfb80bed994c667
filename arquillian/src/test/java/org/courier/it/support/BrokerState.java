package org.courier.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running server's broker (embedded Artemis) holds, read with WildFly's CLI (local
 * authentication) the way an operator reads it: the transactions it holds prepared (each keeps
 * its messages, sent or taken from a queue, in doubt until the transaction manager's recovery
 * commits or rolls it back) and the messages in a queue.
 */
public final class BrokerState {

    private static final Pattern ENTRY = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern COUNT = Pattern.compile("\"result\" => (\\d+)L?");

    private BrokerState() {
    }

    /** The prepared transactions of the WildFly of {@link WildFlyProcess#home()} on its default management port. */
    public static List<String> prepared() {
        return prepared(9990);
    }

    /** The prepared transactions of the server whose management interface is on 127.0.0.1:{@code managementPort}. */
    public static List<String> prepared(int managementPort) {
        String output = cli(managementPort, "/subsystem=messaging-activemq/server=default:list-prepared-transactions");
        int result = output.indexOf("\"result\" => [");
        if (!output.contains("\"outcome\" => \"success\"") || result < 0) {
            throw new IllegalStateException("the broker's prepared transactions could not be read: " + output);
        }
        String list = output.substring(result + "\"result\" => [".length(), output.indexOf(']', result));
        List<String> prepared = new ArrayList<>();
        Matcher entry = ENTRY.matcher(list);
        while (entry.find()) {
            prepared.add(entry.group(1));
        }
        return prepared;
    }

    /** The messages in JMS queue {@code queue} of the server on 127.0.0.1:{@code managementPort}, scheduled ones included. */
    public static long queued(int managementPort, String queue) {
        String output = cli(managementPort, "/subsystem=messaging-activemq/server=default/jms-queue=" + queue
                + ":read-attribute(name=message-count)");
        Matcher count = COUNT.matcher(output);
        if (!output.contains("\"outcome\" => \"success\"") || !count.find()) {
            throw new IllegalStateException("the message count of queue " + queue + " could not be read: " + output);
        }
        return Long.parseLong(count.group(1));
    }

    private static String cli(int managementPort, String command) {
        return WildFlyCli.run(managementPort, command);
    }
}
