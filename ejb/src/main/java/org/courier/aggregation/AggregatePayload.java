package org.courier.aggregation;

import java.util.List;

/**
 * The payload of a released aggregate: its members' payloads in arrival order, each in a
 * {@code <member>} naming its sender and message id, inside one {@code <aggregate>} element of
 * namespace {@value #NAMESPACE} that says which aggregator, correlation value and number it is,
 * how many members it has and what completed it ({@code count} or {@code timeout}).
 */
final class AggregatePayload {

    static final String NAMESPACE = "urn:courier:aggregate:1";

    private AggregatePayload() {
    }

    static String of(String aggregator, String correlation, int number, String completion, List<AggregateMember> members) {
        StringBuilder xml = new StringBuilder(256 + members.stream().mapToInt(m -> m.payload().length() + 96).sum());
        xml.append("<aggregate xmlns=\"").append(NAMESPACE).append("\" aggregator=\"").append(escape(aggregator))
                .append("\" correlation=\"").append(escape(correlation)).append("\" number=\"").append(number)
                .append("\" members=\"").append(members.size()).append("\" completion=\"").append(completion).append("\">");
        for (AggregateMember member : members) {
            xml.append("<member sender=\"").append(escape(member.sender())).append("\" messageId=\"")
                    .append(escape(member.messageId())).append("\">").append(member.payload()).append("</member>");
        }
        return xml.append("</aggregate>").toString();
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
