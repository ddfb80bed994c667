package org.courier.it.support;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

/** Names and payloads for in-order tests, unique per test so tests never see each other's data. */
public final class InOrderTestData {

    private InOrderTestData() {
    }

    /** Q and 8 upper-case hex digits: a valid queue id no other test uses. */
    public static String newQueueId() {
        return "Q" + hex(8);
    }

    public static String hex(int digits) {
        byte[] bytes = new byte[(digits + 1) / 2];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, digits).toUpperCase(Locale.ROOT);
    }

    /** Message ids {@code <queueId>-1 .. <queueId>-n}. */
    public static List<String> ids(String queueId, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(queueId + "-" + i);
        }
        return ids;
    }

    public static List<Long> oneTo(int last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    public static String order(String queueId, String id) {
        return "<order xmlns=\"urn:example:orders\"><queue>" + CourierClient.escape(queueId) + "</queue><id>"
                + CourierClient.escape(id) + "</id></order>";
    }
}
