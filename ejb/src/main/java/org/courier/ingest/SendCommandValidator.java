package org.courier.ingest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.courier.content.PayloadContract;
import org.courier.content.Quoted;
import org.courier.message.QualityOfService;

/**
 * The field rules of a send request (published in the WSDL). The first broken rule is
 * reported, naming the field and the rule, as {@link FaultCode#INVALID_REQUEST}; Best Effort,
 * which this version does not offer yet, is {@link FaultCode#NOT_SUPPORTED}; a payload over
 * the limit is {@link FaultCode#PAYLOAD_TOO_LARGE}; a payload that is not exactly one XML
 * element ({@link PayloadContract}) is {@link FaultCode#INVALID_REQUEST}.
 */
public final class SendCommandValidator {

    static final Pattern SENDER = Pattern.compile("[A-Za-z0-9._-]{1,60}");
    static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9._/:-]{1,120}");
    static final Pattern MESSAGE_ID = Pattern.compile("\\p{Graph}{1,200}");
    static final Pattern QUEUE_ID = Pattern.compile("[0-9A-Z_/]{1,16}");

    private final long maxPayloadBytes;

    public SendCommandValidator(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** @return the requested quality of service, once every rule holds */
    public QualityOfService validate(SendCommand command) {
        require("sender", command.sender(), SENDER, "1-60 characters of A-Z a-z 0-9 . _ -");
        require("interface", command.interfaceName(), INTERFACE, "1-120 characters of A-Z a-z 0-9 . _ - / :");
        require("messageId", command.messageId(), MESSAGE_ID, "1-200 printable characters without white space");
        QualityOfService qos = qualityOfService(command.qualityOfService());
        checkQueueId(qos, command.queueId());
        checkPayload(command.payload());
        return qos;
    }

    /**
     * The rules of a synchronous call: sender, interface and payload as for a send; the message
     * id when {@code idRequired} (an idempotent call), else only checked if given. No quality of
     * service or queue: a call is Best Effort.
     */
    public void validateCall(SendCommand command, boolean idRequired) {
        require("sender", command.sender(), SENDER, "1-60 characters of A-Z a-z 0-9 . _ -");
        require("interface", command.interfaceName(), INTERFACE, "1-120 characters of A-Z a-z 0-9 . _ - / :");
        if (idRequired || command.hasMessageId()) {
            require("messageId", command.messageId(), MESSAGE_ID, "1-200 printable characters without white space"
                    + (idRequired ? " (calls of this interface are idempotent: a repeat is known by its id)" : ""));
        }
        checkPayload(command.payload());
    }

    private static void require(String field, String value, Pattern rule, String ruleText) {
        if (value == null || value.isEmpty()) {
            throw invalid(field + " is missing: it must be " + ruleText);
        }
        if (!rule.matcher(value).matches()) {
            throw invalid(field + " '" + abbreviate(value) + "' is not valid: it must be " + ruleText);
        }
    }

    private static QualityOfService qualityOfService(String wireName) {
        QualityOfService qos = QualityOfService.fromWireName(wireName).orElseThrow(() ->
                invalid("qualityOfService is missing or unknown: it must be BestEffort, ExactlyOnce or ExactlyOnceInOrder"));
        if (qos == QualityOfService.BEST_EFFORT) {
            throw new RequestRejected(FaultCode.NOT_SUPPORTED, "qualityOfService BestEffort is synchronous: use the call"
                    + " operation, which returns the receiver's response; send is for ExactlyOnce and ExactlyOnceInOrder");
        }
        return qos;
    }

    private static void checkQueueId(QualityOfService qos, String queueId) {
        if (queueId != null && qos != QualityOfService.EXACTLY_ONCE_IN_ORDER) {
            throw invalid("queueId is only allowed with ExactlyOnceInOrder, not with " + qos.wireName());
        }
        if (queueId == null && qos == QualityOfService.EXACTLY_ONCE_IN_ORDER) {
            throw invalid("queueId is missing: ExactlyOnceInOrder needs one, 1-16 characters of 0-9 A-Z _ /");
        }
        if (queueId != null && !QUEUE_ID.matcher(queueId).matches()) {
            throw invalid("queueId '" + abbreviate(queueId) + "' is not valid: it must be 1-16 characters of 0-9 A-Z _ /");
        }
    }

    private void checkPayload(String payload) {
        if (payload == null) {
            throw invalid("payload is missing: it must contain exactly one XML element");
        }
        long size = payload.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPayloadBytes) {
            throw new RequestRejected(FaultCode.PAYLOAD_TOO_LARGE,
                    "payload is " + size + " bytes, over the limit of " + maxPayloadBytes + " bytes");
        }
        String breach = PayloadContract.breach(payload);
        if (breach != null) {
            throw invalid(breach);
        }
    }

    private static RequestRejected invalid(String reason) {
        return new RequestRejected(FaultCode.INVALID_REQUEST, reason);
    }

    private static String abbreviate(String value) {
        return Quoted.of(value, 40);
    }
}
