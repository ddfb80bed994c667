package org.courier.web.sap;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.courier.content.Quoted;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.courier.routing.RoutingTable;
import org.courier.routing.SapRmChannel;
import org.w3c.dom.Element;

/**
 * SAP RM style senders, plain SOAP: {@code POST /courier/rm/<channel>?MessageId=<GUID>
 * [&QueueId=<id>][&QualityOfService=ExactlyOnce|ExactlyOnceInOrder|BestEffort]} with any SOAP
 * envelope; the one element in its body is the payload. The channel ({@code <sap-rm-channel>}
 * in the configuration) says which sender and interface the messages are.
 *
 * <p>The id may come in the SOAP header {@code messageId} of namespace
 * {@value #MESSAGE_ID_NS} instead of the URL (the URL wins when both are there); it is a GUID
 * in any of SAP's spellings ({@link SapGuid}). A {@code QueueId} without a quality of service
 * means ExactlyOnceInOrder; without either, ExactlyOnce. ExactlyOnceInOrder needs a QueueId.
 */
@WebServlet("/rm/*")
public class SapRmServlet extends SapInboundServlet {

    static final String MESSAGE_ID_NS = "http://www.sap.com/webas/640/soap/features/messageId/";

    @EJB
    private RoutingTable routing;

    @Override
    String protocol() {
        return "SAP RM";
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getPathInfo() == null ? "" : request.getPathInfo().replaceFirst("^/", "");
        Optional<SapRmChannel> channel = routing.sapRmChannel(name);
        if (channel.isEmpty()) {
            refuse(response, HttpServletResponse.SC_NOT_FOUND, new RequestRejected(FaultCode.UNKNOWN_INTERFACE,
                    "no SAP RM channel '" + name + "' is configured (POST to /courier/rm/<channel>)"), "to channel '" + name + "'");
            return;
        }
        String subject = channel.get().sender() + "/" + request.getParameter("MessageId");
        try {
            SoapEnvelope envelope = SoapEnvelope.parse(body(request));
            process(inbound(channel.get(), request::getParameter, envelope), response);
        } catch (SoapEnvelope.Unusable unusable) {
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, invalid(unusable.getMessage()), subject);
        } catch (RequestRejected rejected) {
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, rejected, subject);
        }
    }

    /**
     * The message of an SAP RM request to this channel, from its URL parameters and envelope, or
     * {@link RequestRejected} saying which value is wrong.
     */
    static Inbound inbound(SapRmChannel channel, UnaryOperator<String> parameters, SoapEnvelope envelope) {
        String id = parameters.apply("MessageId");
        if (id == null || id.isBlank()) {
            id = envelope.header(MESSAGE_ID_NS, "messageId").map(Element::getTextContent).orElse(null);
        }
        if (id == null || id.isBlank()) {
            throw invalid("MessageId is missing: give it as URL parameter MessageId or in the SOAP header messageId of "
                    + MESSAGE_ID_NS + "; it must be " + SapGuid.RULE);
        }
        String raw = id;
        String messageId = SapGuid.normalize(id).orElseThrow(() -> invalid("MessageId '" + abbreviate(raw) + "' is not "
                + SapGuid.RULE));
        String queueId = parameters.apply("QueueId");
        String qos = parameters.apply("QualityOfService");
        if (qos == null || qos.isBlank()) {
            qos = queueId == null ? QOS_EO : QOS_EOIO;
        }
        if (!qos.equals(QOS_EO) && !qos.equals(QOS_EOIO) && !qos.equals(QOS_BE)) {
            throw invalid("QualityOfService '" + abbreviate(qos) + "' is not ExactlyOnce, ExactlyOnceInOrder or BestEffort");
        }
        if (qos.equals(QOS_BE) && queueId != null) {
            throw invalid("QueueId is only allowed with ExactlyOnceInOrder, not with BestEffort");
        }
        return new Inbound(channel.sender(), channel.interfaceName(), messageId, qos, queueId, envelope.payload());
    }

    private static String abbreviate(String value) {
        return Quoted.of(value, 60);
    }
}
