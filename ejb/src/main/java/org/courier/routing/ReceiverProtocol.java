package org.courier.routing;

/**
 * How a delivery reaches its receiver (the receiver's {@code protocol} attribute).
 */
public enum ReceiverProtocol {
    /** {@code plain} (the default): the payload is the request body; ids and queue in {@code Courier-*} headers. */
    PLAIN,
    /**
     * {@code sap-rm}: SAP's reliable messaging over plain SOAP: the payload in a SOAP 1.1 body, the
     * message id, quality of service and queue id as the URL parameters {@code MessageId},
     * {@code QualityOfService} and {@code QueueId}.
     */
    SAP_RM,
    /**
     * {@code xi}: an XI 3.0 message: the payload in a SOAP 1.1 body, the XI message header
     * ({@code Main}: MessageId, Sender, Interface; {@code ReliableMessaging}: QualityOfService,
     * QueueId) in the SOAP header.
     */
    XI
}
