package org.courier.web.sap;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.w3c.dom.Element;

/**
 * XI 3.0 senders: {@code POST /courier/xi} with a SOAP envelope whose header carries the XI
 * message header (namespace {@value #XI_NS}): {@code Main} with {@code MessageId} (a GUID),
 * {@code Sender/Service} (Courier's sender) and {@code Interface} (its text is Courier's
 * interface; the {@code namespace} attribute is not used), and {@code ReliableMessaging} with
 * {@code QualityOfService} (ExactlyOnce, ExactlyOnceInOrder, BestEffort; ExactlyOnce if absent)
 * and, in order, {@code QueueId}. The payload is the one element in the SOAP body.
 *
 * <p>Not supported, and refused with a fault that says so: multipart messages (XI's payload as
 * a MIME attachment, {@code multipart/related}: send the payload in the body), and
 * {@code Main/MessageClass} other than {@code ApplicationMessage} (acknowledgements, system
 * errors). Other XI headers (DynamicConfiguration, HopList, Diagnostic, …) are ignored.
 */
@WebServlet("/xi")
public class XiServlet extends SapInboundServlet {

    static final String XI_NS = "http://sap.com/xi/XI/Message/30";

    @Override
    String protocol() {
        return "XI";
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (contentType.startsWith("multipart/")) {
            refuse(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, new RequestRejected(FaultCode.NOT_SUPPORTED,
                    "XI messages with attachments (" + contentType.split(";")[0] + ") are not supported: send the payload"
                            + " as the one element in the SOAP body"), "(multipart)");
            return;
        }
        try {
            SoapEnvelope envelope = SoapEnvelope.parse(body(request));
            process(inbound(envelope), response);
        } catch (SoapEnvelope.Unusable unusable) {
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, invalid(unusable.getMessage()), "(unreadable)");
        } catch (RequestRejected rejected) {
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, rejected, "(invalid header)");
        }
    }

    /** The message an XI 3.0 envelope carries, or {@link RequestRejected} saying which header is wrong. */
    static Inbound inbound(SoapEnvelope envelope) {
        Element main = envelope.header(XI_NS, "Main").orElseThrow(() -> invalid("the SOAP header has no XI message header"
                + " (Main in namespace " + XI_NS + "): an XI 3.0 message needs one"));
        String messageClass = SoapEnvelope.text(main, XI_NS, "MessageClass");
        if (messageClass != null && !messageClass.equals("ApplicationMessage")) {
            throw new RequestRejected(FaultCode.NOT_SUPPORTED, "XI MessageClass " + messageClass
                    + " is not supported: Courier takes ApplicationMessage");
        }
        String rawId = SoapEnvelope.text(main, XI_NS, "MessageId");
        String messageId = SapGuid.normalize(rawId).orElseThrow(() -> invalid(rawId == null
                ? "Main/MessageId is missing: it must be " + SapGuid.RULE
                : "Main/MessageId '" + rawId + "' is not " + SapGuid.RULE));
        String sender = SoapEnvelope.child(main, XI_NS, "Sender").map(s -> SoapEnvelope.text(s, XI_NS, "Service")).orElse(null);
        if (sender == null || sender.isEmpty()) {
            throw invalid("Main/Sender/Service is missing: it names the sending system (Courier's sender)");
        }
        String interfaceName = SoapEnvelope.text(main, XI_NS, "Interface");
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw invalid("Main/Interface is missing: it names the message's interface");
        }
        Element reliable = envelope.header(XI_NS, "ReliableMessaging").orElse(null);
        String qos = reliable == null ? null : SoapEnvelope.text(reliable, XI_NS, "QualityOfService");
        String queueId = reliable == null ? null : SoapEnvelope.text(reliable, XI_NS, "QueueId");
        if (qos == null || qos.isEmpty()) {
            qos = QOS_EO;
        }
        if (!qos.equals(QOS_EO) && !qos.equals(QOS_EOIO) && !qos.equals(QOS_BE)) {
            throw invalid("ReliableMessaging/QualityOfService '" + qos + "' is not ExactlyOnce, ExactlyOnceInOrder or BestEffort");
        }
        return new Inbound(sender, interfaceName, messageId, qos, queueId, envelope.payload());
    }
}
