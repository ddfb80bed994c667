package org.courier.web.soap;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.courier.ingest.SendCommand;
import org.courier.ingest.ReceiptAnswer;
import org.courier.ingest.RequestRejected;
import org.courier.messaging.v1.Acknowledgement;
import org.courier.messaging.v1.BatchAcknowledgement;
import org.courier.messaging.v1.BatchItem;
import org.courier.messaging.v1.CallRequest;
import org.courier.messaging.v1.CallResponse;
import org.courier.messaging.v1.CourierFault;
import org.courier.messaging.v1.CourierFaultDetail;
import org.courier.messaging.v1.DeliveryState;
import org.courier.messaging.v1.FaultCode;
import org.courier.messaging.v1.MessageStatus;
import org.courier.messaging.v1.QualityOfService;
import org.courier.messaging.v1.ReceiptResult;
import org.courier.messaging.v1.ReceiverDelivery;
import org.courier.messaging.v1.SendRequest;
import org.courier.call.CallResult;
import org.courier.content.XmlPayload;
import org.w3c.dom.Comment;
import org.w3c.dom.Element;
import org.w3c.dom.ProcessingInstruction;

/** Translation between the generated v1 contract types and Courier's own. */
final class SoapMapping {

    private static final DatatypeFactory DATATYPES = datatypeFactory();
    /**
     * One identity transformer per request thread: looking up a {@link TransformerFactory} scans
     * the class path (a benchmark profile showed it as 6 % of a send), and a transformer is not
     * thread-safe.
     */
    private static final ThreadLocal<Transformer> IDENTITY = ThreadLocal.withInitial(() -> {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            return transformer;
        } catch (TransformerException e) {
            throw new IllegalStateException("No XML identity transformer in this runtime", e);
        }
    });

    private SoapMapping() {
    }

    /** A send with the payload as the data binding read it (tests, and a request read without the capture). */
    static SendCommand command(SendRequest request) {
        return command(request, content(request.getPayload()));
    }

    /** A send whose payload is this content ({@link #contents}). */
    static SendCommand command(SendRequest request, List<Object> payload) {
        return new SendCommand(request.getSender(), request.getInterface(), request.getMessageId(),
                request.getQualityOfService() == null ? null : request.getQualityOfService().value(),
                request.getQueueId(),
                serialize(payload));
    }

    /** A call as a send command without quality of service or queue (a call is Best Effort). */
    static SendCommand command(CallRequest request, List<Object> payload) {
        return new SendCommand(request.getSender(), request.getInterface(), request.getMessageId(), "BestEffort", null,
                serialize(payload));
    }

    /**
     * The content of each of a request's payloads, in order ({@code null} where a message has
     * none): as the {@link PayloadCapture} read it off the request, comments and processing
     * instructions included; or, when the request was read without a capture that saw every
     * payload (the capture hides what it reads, so the data binding's payloads are then empty), as
     * the data binding gave it.
     */
    static List<List<Object>> contents(List<PayloadContent> payloads, PayloadCapture capture) {
        List<List<Object>> captured = capture == null ? List.of() : capture.payloads();
        List<PayloadContent> present = payloads.stream().filter(Objects::nonNull).toList();
        boolean whole = captured.size() == present.size() && present.stream().allMatch(p -> p.getContent().isEmpty());
        Iterator<List<Object>> next = captured.iterator();
        List<List<Object>> contents = new ArrayList<>(payloads.size());
        for (PayloadContent payload : payloads) {
            contents.add(payload == null ? null : whole ? next.next() : payload.getContent());
        }
        return contents;
    }

    private static List<Object> content(PayloadContent payload) {
        return payload == null ? null : payload.getContent();
    }

    /** The receiver's response: its body as the payload element if it is XML, else as text. */
    static CallResponse callResponse(CallResult result) {
        CallResponse response = new CallResponse();
        response.setSender(result.sender());
        response.setMessageId(result.messageId());
        response.setReceiver(result.receiver());
        response.setStatus(result.status());
        response.setReplay(result.replay());
        response.setRespondedAt(dateTime(result.respondedAt()));
        response.setContentType(result.contentType());
        String body = result.body();
        if (body != null && !body.isBlank() && !body.strip().startsWith("<")) {
            response.setText(body);
        } else if (body != null && !body.isBlank()) {
            try {
                response.setPayload(PayloadContent.of(XmlPayload.parse(body).getDocumentElement()));
            } catch (XmlPayload.UnreadablePayload notXml) {
                response.setText(body);
            }
        }
        return response;
    }

    static Acknowledgement acknowledgement(org.courier.ingest.Acknowledgement ack) {
        Acknowledgement result = new Acknowledgement();
        result.setSender(ack.sender());
        result.setMessageId(ack.messageId());
        result.setResult(ReceiptResult.fromValue(ack.result().name()));
        result.setAcceptedAt(dateTime(ack.acceptedAt()));
        result.setQueueId(ack.queueId());
        result.setSequence(ack.sequence());
        return result;
    }

    static MessageStatus status(org.courier.status.MessageStatus status) {
        MessageStatus result = new MessageStatus();
        result.setSender(status.sender());
        result.setMessageId(status.messageId());
        result.setInterface(status.interfaceName());
        result.setQualityOfService(QualityOfService.fromValue(status.qualityOfService().wireName()));
        result.setAcceptedAt(dateTime(status.acceptedAt()));
        result.setQueueId(status.queueId());
        result.setSequence(status.sequence());
        status.deliveries().forEach(d -> result.getDelivery().add(delivery(d)));
        result.setAcceptedBy(status.acceptedBy());
        return result;
    }

    static CourierFault fault(RequestRejected rejected) {
        return new CourierFault(rejected.code() + ": " + rejected.getMessage(), faultDetail(rejected));
    }

    static BatchAcknowledgement batchAcknowledgement(List<ReceiptAnswer> answers) {
        BatchAcknowledgement result = new BatchAcknowledgement();
        for (ReceiptAnswer answer : answers) {
            BatchItem item = new BatchItem();
            item.setMessageId(answer.messageId());
            if (answer.acknowledged()) {
                item.setAcknowledgement(acknowledgement(answer.acknowledgement()));
            } else {
                item.setFault(faultDetail(answer.refusal()));
            }
            result.getItem().add(item);
        }
        return result;
    }

    private static CourierFaultDetail faultDetail(RequestRejected rejected) {
        CourierFaultDetail detail = new CourierFaultDetail();
        detail.setCode(FaultCode.fromValue(rejected.code().name()));
        detail.setRetryable(rejected.retryable());
        detail.setReason(rejected.getMessage());
        return detail;
    }

    private static ReceiverDelivery delivery(org.courier.status.MessageStatus.ReceiverDelivery d) {
        ReceiverDelivery result = new ReceiverDelivery();
        result.setReceiver(d.receiver());
        result.setState(DeliveryState.fromValue(d.state().name()));
        result.setAttempts(d.attempts());
        result.setLastAttemptAt(dateTime(d.lastAttemptAt()));
        result.setLastError(d.lastError());
        result.setDeliveredAt(dateTime(d.deliveredAt()));
        result.setHeldBehind(d.heldBehind());
        result.setNextAttemptAt(dateTime(d.nextAttemptAt()));
        result.setPossibleDuplicates(d.possibleDuplicates() > 0 ? d.possibleDuplicates() : null);
        result.setPart(d.part());
        result.setReceiverMessageId(d.receiverMessageId());
        result.setDeliveredBy(d.deliveredBy());
        return result;
    }

    private static XMLGregorianCalendar dateTime(Instant instant) {
        return instant == null ? null : DATATYPES.newXMLGregorianCalendar(GregorianCalendar.from(instant.atZone(ZoneOffset.UTC)));
    }

    /**
     * The payload as the sender sent it, as text: its one element with the comments and
     * processing instructions beside it, or, when it holds anything else beside white space (more
     * elements, text), all of it in order, for the payload contract to refuse with a reason
     * ({@code PayloadContract}); {@code null} when there was no payload.
     */
    static String serialize(PayloadContent payload) {
        return serialize(content(payload));
    }

    /** As {@link #serialize(PayloadContent)}, of a payload's content ({@link #contents}). */
    static String serialize(List<Object> content) {
        if (content == null) {
            return null;
        }
        int elements = 0;
        boolean more = false;
        for (Object part : content) {
            if (part instanceof Element) {
                elements++;
            } else if (part instanceof String text && !text.isBlank()) {
                more = true;
            }
        }
        StringBuilder all = new StringBuilder();
        for (Object part : content) {
            if (part instanceof Element element) {
                all.append(serialize(element));
            } else if (part instanceof Comment comment) {
                all.append("<!--").append(comment.getData()).append("-->");
            } else if (part instanceof ProcessingInstruction instruction) {
                all.append("<?").append(instruction.getTarget())
                        .append(instruction.getData().isEmpty() ? "" : " " + instruction.getData()).append("?>");
            } else if (elements != 1 || more) {
                all.append(escape(String.valueOf(part)));
            }
        }
        return all.toString();
    }

    private static String serialize(Element payload) {
        try {
            StringWriter out = new StringWriter();
            IDENTITY.get().transform(new DOMSource(payload), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("A parsed DOM element could not be written as text", e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static DatatypeFactory datatypeFactory() {
        try {
            return DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new IllegalStateException("No XML datatype factory in this runtime", e);
        }
    }
}
