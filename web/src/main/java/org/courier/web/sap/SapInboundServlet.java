package org.courier.web.sap;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.courier.call.CallResult;
import org.courier.call.CallService;
import org.courier.content.Quoted;
import org.courier.content.XmlPayload;
import org.courier.ingest.FaultCode;
import org.courier.ingest.MessageReceipt;
import org.courier.ingest.RequestRejected;
import org.courier.ingest.SendCommand;
import org.courier.web.security.SenderBinding;

/**
 * The common part of SAP's sender protocols: a message, once its edge has read sender,
 * interface, id, quality of service, queue id and payload from the protocol, goes through the
 * same receipt ({@code ExactlyOnce}, {@code ExactlyOnceInOrder}) or call ({@code BestEffort}) as
 * a v1 send.
 *
 * <p>Answers, as SAP's reliable messaging expects: {@code 200} with an empty body once the
 * message is durably stored, for a duplicate too; for Best Effort, {@code 200} with the
 * receiver's response in a SOAP body. Anything else means "not accepted": a SOAP 1.1 fault with
 * HTTP 500 (404 for an unknown channel, 415 for a multipart XI message) whose faultstring says
 * what is wrong and whose {@code courierFault} detail has Courier's code and whether a retry can
 * help ({@code soap:Server} retryable, {@code soap:Client} not). A refusal is logged in one line.
 * Only users with the role {@code sender} get in, and only as a sender they are bound to ({@link SenderBinding}).
 */
abstract class SapInboundServlet extends HttpServlet {

    static final String QOS_EO = "ExactlyOnce";
    static final String QOS_EOIO = "ExactlyOnceInOrder";
    static final String QOS_BE = "BestEffort";
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    private static final String COURIER_NS = "http://courier.org/ns/messaging/v1";
    private static final Logger LOG = Logger.getLogger(SapInboundServlet.class.getName());

    @EJB
    private MessageReceipt receipt;

    @EJB
    private CallService calls;

    /** What the protocol carried, read by the edge. */
    record Inbound(String sender, String interfaceName, String messageId, String qualityOfService, String queueId,
                   String payload) {
    }

    /** The protocol's name for log lines. */
    abstract String protocol();

    void process(Inbound inbound, HttpServletResponse response) throws IOException {
        SendCommand command = new SendCommand(inbound.sender(), inbound.interfaceName(), inbound.messageId(),
                inbound.qualityOfService(), inbound.queueId(), inbound.payload());
        try {
            SenderBinding.check(inbound.sender(), "send as");
            if (QOS_BE.equals(inbound.qualityOfService())) {
                answerCall(calls.call(command), response);
            } else {
                receipt.accept(command);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentLength(0);
            }
        } catch (RequestRejected rejected) {
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, rejected, inbound.sender() + "/" + inbound.messageId());
        } catch (EJBException unexpected) {
            LOG.warning(() -> protocol() + " message " + inbound.sender() + "/" + inbound.messageId()
                    + " not accepted, sender asked to retry: " + rootMessage(unexpected));
            refuse(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE,
                    "Courier could not process the message now; nothing was accepted: send it again"), null);
        }
    }

    /** Answers a refusal: a SOAP 1.1 fault with Courier's detail; logged in one line (unless {@code subject} is null). */
    void refuse(HttpServletResponse response, int httpStatus, RequestRejected rejected, String subject) throws IOException {
        if (subject != null) {
            LOG.info(() -> "Refused " + protocol() + " message " + subject + ": " + rejected.code() + ": " + rejected.getMessage());
        }
        String fault = "<soap:Envelope xmlns:soap=\"" + SoapEnvelope.SOAP_11 + "\"><soap:Body><soap:Fault>"
                + "<faultcode>soap:" + (rejected.retryable() ? "Server" : "Client") + "</faultcode>"
                + "<faultstring>" + XmlPayload.escape(Quoted.inXml(rejected.code() + ": " + rejected.getMessage())) + "</faultstring>"
                + "<detail><courierFault xmlns=\"" + COURIER_NS + "\"><code>" + rejected.code() + "</code><retryable>"
                + rejected.retryable() + "</retryable><reason>" + XmlPayload.escape(Quoted.inXml(rejected.getMessage())) + "</reason></courierFault>"
                + "</detail></soap:Fault></soap:Body></soap:Envelope>";
        write(response, httpStatus, "text/xml; charset=utf-8", fault);
    }

    /**
     * The request body as text, in the charset of its {@code Content-Type} or else UTF-8; a charset
     * Java does not know, or bytes that are not text in it, are refused, never replaced. A byte
     * order mark at the start is not part of the text.
     */
    static String body(HttpServletRequest request) throws IOException {
        return text(request.getInputStream().readAllBytes(), request.getCharacterEncoding());
    }

    static String text(byte[] body, String declared) {
        Charset charset;
        try {
            charset = declared == null ? StandardCharsets.UTF_8 : Charset.forName(declared);
        } catch (IllegalArgumentException unknown) {
            throw invalid("the request's charset '" + declared + "' is not one Courier can read: send UTF-8");
        }
        try {
            String text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw invalid("the request body is not " + charset.name() + " text (" + (declared == null
                    ? "no charset in its Content-Type, so UTF-8" : "the charset its Content-Type declares")
                    + "): its bytes would have to be changed to be read");
        }
    }

    static RequestRejected invalid(String reason) {
        return new RequestRejected(FaultCode.INVALID_REQUEST, reason);
    }

    private static void answerCall(CallResult result, HttpServletResponse response) throws IOException {
        String body = result.body() == null ? "" : result.body().strip();
        if (body.startsWith("<")) {
            write(response, HttpServletResponse.SC_OK, "text/xml; charset=utf-8", "<soap:Envelope xmlns:soap=\""
                    + SoapEnvelope.SOAP_11 + "\"><soap:Body>" + stripDeclaration(body) + "</soap:Body></soap:Envelope>");
        } else {
            write(response, HttpServletResponse.SC_OK, result.contentType() == null ? "text/plain; charset=utf-8"
                    : result.contentType(), body);
        }
    }

    private static String stripDeclaration(String xml) {
        return xml.startsWith("<?xml") ? xml.substring(xml.indexOf("?>") + 2).strip() : xml;
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
