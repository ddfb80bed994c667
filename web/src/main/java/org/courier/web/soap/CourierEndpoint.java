package org.courier.web.soap;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.jws.WebService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.cxf.interceptor.InInterceptors;
import org.courier.call.CallService;
import org.courier.ingest.FaultCode;
import org.courier.ingest.MessageReceipt;
import org.courier.ingest.ReceiptAnswer;
import org.courier.ingest.RequestRejected;
import org.courier.ingest.SendCommand;
import org.courier.messaging.v1.Acknowledgement;
import org.courier.messaging.v1.BatchAcknowledgement;
import org.courier.messaging.v1.CallRequest;
import org.courier.messaging.v1.CallResponse;
import org.courier.messaging.v1.Courier;
import org.courier.messaging.v1.CourierFault;
import org.courier.messaging.v1.MessageStatus;
import org.courier.messaging.v1.SendBatchRequest;
import org.courier.messaging.v1.SendRequest;
import org.courier.messaging.v1.StatusRequest;
import org.courier.status.MessageStatusQuery;
import org.courier.web.security.SenderBinding;

/**
 * Courier's messaging endpoint, version 1, published at {@code /courier/CourierService}.
 *
 * <p>Failure policy: every refusal reaches the sender as a {@code CourierFault} whose code
 * says what is wrong and whose {@code retryable} flag says whether the same request may
 * succeed later, and is logged in one line. The container lets only users with the role
 * {@code sender} in; {@link SenderBinding} then refuses a sender the user is not bound to. An unexpected failure is logged once and answered as retryable
 * {@code TEMPORARILY_UNAVAILABLE}: nothing was acknowledged, so the sender must retry.
 *
 * <p>Payloads are taken as the sender wrote them, comments and processing instructions included,
 * from the {@link PayloadCapture} that {@link PayloadCaptureInterceptor} puts on the request.
 */
@InInterceptors(interceptors = "org.courier.web.soap.PayloadCaptureInterceptor")
@WebService(serviceName = "CourierService", portName = "CourierPort",
        targetNamespace = "http://courier.org/ns/messaging/v1",
        endpointInterface = "org.courier.messaging.v1.Courier",
        wsdlLocation = "WEB-INF/wsdl/courier-v1.wsdl")
public class CourierEndpoint implements Courier {

    private static final Logger LOG = Logger.getLogger(CourierEndpoint.class.getName());

    @EJB
    private MessageReceipt receipt;

    @EJB
    private MessageStatusQuery statusQuery;

    @EJB
    private CallService calls;

    @Override
    public Acknowledgement send(SendRequest request) throws CourierFault {
        try {
            SenderBinding.check(request.getSender(), "send as");
            return SoapMapping.acknowledgement(receipt.accept(SoapMapping.command(request, payload(request.getPayload()))));
        } catch (RequestRejected rejected) {
            LOG.info(() -> "Refused send of " + request.getSender() + "/" + request.getMessageId() + ": "
                    + rejected.code() + ": " + rejected.getMessage());
            throw SoapMapping.fault(rejected);
        } catch (EJBException unexpected) {
            throw unavailable("send", unexpected);
        }
    }

    @Override
    public BatchAcknowledgement sendBatch(SendBatchRequest request) throws CourierFault {
        try {
            for (String sender : request.getMessage().stream().map(SendRequest::getSender).distinct().toList()) {
                SenderBinding.check(sender, "send as");
            }
            List<List<Object>> payloads = payloads(request.getMessage().stream().map(SendRequest::getPayload).toList());
            List<SendCommand> commands = new ArrayList<>(payloads.size());
            for (int i = 0; i < payloads.size(); i++) {
                commands.add(SoapMapping.command(request.getMessage().get(i), payloads.get(i)));
            }
            List<ReceiptAnswer> answers = receipt.acceptAll(commands);
            answers.stream().filter(a -> !a.acknowledged()).forEach(a -> LOG.info(() -> "Refused batched send of "
                    + a.messageId() + ": " + a.refusal().code() + ": " + a.refusal().getMessage()));
            return SoapMapping.batchAcknowledgement(answers);
        } catch (RequestRejected rejected) {
            LOG.info(() -> "Refused a batch of " + request.getMessage().size() + " messages: " + rejected.getMessage());
            throw SoapMapping.fault(rejected);
        } catch (EJBException unexpected) {
            throw unavailable("sendBatch", unexpected);
        }
    }

    @Override
    public MessageStatus status(StatusRequest request) throws CourierFault {
        try {
            SenderBinding.check(request.getSender(), "read the status of");
            return SoapMapping.status(statusQuery.find(request.getSender(), request.getMessageId()));
        } catch (RequestRejected rejected) {
            if (rejected.code() == FaultCode.NOT_AUTHORIZED) {
                LOG.info(() -> "Refused status of " + request.getSender() + "/" + request.getMessageId() + ": "
                        + rejected.code() + ": " + rejected.getMessage());
            }
            throw SoapMapping.fault(rejected);
        } catch (EJBException unexpected) {
            throw unavailable("status", unexpected);
        }
    }

    @Override
    public CallResponse call(CallRequest request) throws CourierFault {
        try {
            SenderBinding.check(request.getSender(), "call as");
            return SoapMapping.callResponse(calls.call(SoapMapping.command(request, payload(request.getPayload()))));
        } catch (RequestRejected rejected) {
            LOG.info(() -> "Refused call of " + request.getSender() + "/" + request.getMessageId() + ": "
                    + rejected.code() + ": " + rejected.getMessage());
            throw SoapMapping.fault(rejected);
        } catch (EJBException unexpected) {
            throw unavailable("call", unexpected);
        }
    }

    /** The content of the request's one payload as the sender wrote it ({@link PayloadCapture}). */
    private static List<Object> payload(PayloadContent payload) {
        return payloads(Collections.singletonList(payload)).get(0);
    }

    /** The content of the request's payloads as the sender wrote them ({@link PayloadCapture}). */
    private static List<List<Object>> payloads(List<PayloadContent> payloads) {
        return SoapMapping.contents(payloads, PayloadCaptureInterceptor.current());
    }

    /** One line for a database outage (an operating condition), the whole trace for anything else. */
    private static CourierFault unavailable(String operation, EJBException e) {
        Outage.ofDatabase(e).ifPresentOrElse(
                outage -> LOG.warning(() -> "Courier " + operation + " refused, " + outage + "; the caller was asked to retry"),
                () -> LOG.log(Level.SEVERE, "Courier " + operation + " failed unexpectedly; the caller was asked to retry", e));
        return SoapMapping.fault(new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE,
                "Courier could not process the request now; nothing was accepted: retry it"));
    }
}
