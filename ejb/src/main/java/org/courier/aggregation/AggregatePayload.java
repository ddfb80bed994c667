package org.courier.aggregation;

import org.courier.content.XmlPayload;
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
        xml.append("<aggregate xmlns=\"").append(NAMESPACE).append("\" aggregator=\"").append(XmlPayload.escape(aggregator))
                .append("\" correlation=\"").append(XmlPayload.escape(correlation)).append("\" number=\"").append(number)
                .append("\" members=\"").append(members.size()).append("\" completion=\"").append(completion).append("\">");
        for (AggregateMember member : members) {
            xml.append("<member sender=\"").append(XmlPayload.escape(member.sender())).append("\" messageId=\"")
                    .append(XmlPayload.escape(member.messageId())).append("\">").append(member.payload()).append("</member>");
        }
        return xml.append("</aggregate>").toString();
    }
}
